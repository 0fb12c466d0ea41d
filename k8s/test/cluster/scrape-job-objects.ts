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
 * The rendered scrape Job overlay, fitted to the local one-node cluster: the CPU requests scaled
 * down (worker 2 + hub 0.5 + chrome 0.5 CPUs do not fit a 2-core node; limits stay as shipped)
 * the demo's job spec in the ConfigMap and the shipped placeholder secrets replaced. Everything else is what users apply.
 */
export function fitScrapeJob(objects: readonly K8sObject[], tweaks: ScrapeJobTweaks): K8sObject[] {
  const fitted = withRealSecrets(objects);
  const spec = fitted.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'scrape-job-spec');
  if (!spec) throw new Error('the overlay has no ConfigMap scrape-job-spec');
  spec.data = { 'job-spec.yaml': tweaks.jobSpec };
  const job = fitted.find((o) => o.kind === 'Job');
  if (!job) throw new Error('the overlay has no Job');
  if (tweaks.backoffLimit !== undefined) job.spec.backoffLimit = tweaks.backoffLimit;
  for (const { container } of containersIn([job])) {
    const requests = container.resources?.requests;
    if (!requests?.cpu || !['worker', 'hub', 'chrome'].includes(container.name)) continue;
    requests.cpu = container.name === 'worker' ? '500m' : '250m';
    if (container.name === 'worker' && tweaks.workerMemory) {
      requests.memory = tweaks.workerMemory;
      container.resources.limits.memory = tweaks.workerMemory;
    }
  }
  return fitted;
}
