import { describeObject } from '../k8s-object.ts';
import { containersIn, envValue } from '../pod-templates.ts';
import { findObject } from './find-object.ts';
import type { Policy } from './policy.ts';

/**
 * A worker in an Indexed Job is told the number of shards by WORKER_SHARDS, which must be the
 * Job's `completions` (Kubernetes does not put it in the pod): fewer, and the pods of the higher
 * indexes exit 2; more, and the shares of the missing indexes are never scraped. A worker outside
 * an Indexed Job sets no WORKER_SHARDS (it would exit 2 without JOB_COMPLETION_INDEX).
 */
export const indexedJobShardsPolicy: Policy = {
  name: "WORKER_SHARDS is the Indexed Job's completions",
  check: (objects) =>
    containersIn(objects)
      .filter((c) => c.container.name === 'worker')
      .flatMap(({ pod, container, where }) => {
        const owner = pod.owner;
        const job =
          owner.kind === 'CronJob'
            ? owner.spec?.jobTemplate?.spec
            : owner.kind === 'Job'
              ? owner.spec
              : undefined;
        const shards = envValue(container, 'WORKER_SHARDS');
        if (job?.completionMode !== 'Indexed')
          return shards === undefined ? [] : [`${where}: WORKER_SHARDS ${shards} outside an Indexed Job`];
        if (shards !== String(job.completions))
          return [
            `${describeObject(owner)}: WORKER_SHARDS ${shards} is not its completions ${job.completions}`,
          ];
        return [];
      }),
  counterExample: {
    variant: 'scrape-job-shared-grid',
    breakIt(objects) {
      findObject(objects, 'Job', 'scrape-job').spec.completions = 3;
    },
  },
};
