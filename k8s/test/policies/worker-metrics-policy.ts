import { containersIn, envValue } from '../pod-templates.ts';
import { findObject } from './find-object.ts';
import type { Policy } from './policy.ts';

/**
 * A scrape pod is scraped where the worker serves its metrics (the prometheus.io annotations name
 * the port the worker listens on and declares), and the cluster-autoscaler does not evict it: the
 * run's data lives on an emptyDir.
 */
export const workerMetricsPolicy: Policy = {
  name: "scrape pods: Prometheus annotations match the worker's metrics port; not evictable",
  check: (objects) =>
    containersIn(objects)
      .filter(({ container }) => container.name === 'worker')
      .flatMap(({ pod, container, where }) => {
        const port = envValue(container, 'WORKER_METRICS_PORT') ?? '9010';
        const a = pod.annotations;
        const problems: string[] = [];
        if (a['prometheus.io/scrape'] !== 'true') problems.push('prometheus.io/scrape is not "true"');
        if (a['prometheus.io/port'] !== port)
          problems.push(`prometheus.io/port ${a['prometheus.io/port']} ≠ ${port}`);
        if (!['metrics', '/metrics'].includes(a['prometheus.io/path'] ?? ''))
          problems.push('prometheus.io/path is not metrics');
        if (
          !(container.ports ?? []).some((p: { containerPort: number }) => String(p.containerPort) === port)
        ) {
          problems.push(`port ${port} is not declared`);
        }
        if (a['cluster-autoscaler.kubernetes.io/safe-to-evict'] !== 'false')
          problems.push('safe-to-evict is not "false"');
        return problems.map((problem) => `${where}: ${problem}`);
      }),
  counterExample: {
    variant: 'scrape-job-cron',
    breakIt(objects) {
      const template = findObject(objects, 'CronJob', 'scrape-job').spec.jobTemplate.spec.template;
      template.metadata.annotations['prometheus.io/port'] = '9100';
    },
  },
};
