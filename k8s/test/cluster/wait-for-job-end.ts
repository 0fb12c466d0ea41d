import type { LocalCluster } from '@scrapegrid/local-cluster';
import { waitUntil } from '@scrapegrid/test-support';

/**
 * Waits until the Job has condition Complete or Failed and says which: a failed Job is known when
 * it fails, not at the deadline.
 */
export function waitForJobEnd(
  cluster: LocalCluster,
  namespace: string,
  job: string,
  timeoutMs: number,
): Promise<'Complete' | 'Failed'> {
  return waitUntil(
    async () => {
      const types = await cluster.kubectl([
        '-n',
        namespace,
        'get',
        'job',
        job,
        '-o',
        'jsonpath={.status.conditions[?(@.status=="True")].type}',
      ]);
      return (['Complete', 'Failed'] as const).find((t) => types.split(' ').includes(t));
    },
    { what: `Job ${job} to complete or fail`, timeoutMs, intervalMs: 2_000 },
  );
}
