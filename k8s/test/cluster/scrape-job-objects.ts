import type { K8sObject } from '../k8s-object.ts';
import { containersIn } from '../pod-templates.ts';
import { withRealSecrets } from './with-real-secrets.ts';

export interface ScrapeJobTweaks {
  /** The job spec (YAML) the ConfigMap carries instead of the shipped example. */
  jobSpec: string;
  /** The worker's memory (request = limit); small enough and the kernel OOM-kills it. */
  workerMemory?: string;
  backoffLimit?: number;
}

/**
 * The rendered scrape Job overlay for the local one-node cluster: the demo's job spec in the
 * ConfigMap and the shipped placeholder secrets replaced. Its sizes are the shipped ones (they fit a
 * 2-core node); everything else is what users apply.
 */
export function fitScrapeJob(objects: readonly K8sObject[], tweaks: ScrapeJobTweaks): K8sObject[] {
  const fitted = withRealSecrets(objects);
  const spec = fitted.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'scrape-job-spec');
  if (!spec) throw new Error('the overlay has no ConfigMap scrape-job-spec');
  spec.data = { 'job-spec.yaml': tweaks.jobSpec };
  const job = fitted.find((o) => o.kind === 'Job');
  if (!job) throw new Error('the overlay has no Job');
  if (tweaks.backoffLimit !== undefined) job.spec.backoffLimit = tweaks.backoffLimit;
  for (const { container } of containersIn([job]))
    if (container.name === 'worker' && tweaks.workerMemory) {
      container.resources.requests.memory = tweaks.workerMemory;
      container.resources.limits.memory = tweaks.workerMemory;
    }
  return fitted;
}
