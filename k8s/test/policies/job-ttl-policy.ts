import { describeObject } from '../k8s-object.ts';
import { findObject } from './find-object.ts';
import type { Policy } from './policy.ts';

/**
 * Every Job (and every Job a CronJob makes) is deleted with its pod an hour after it finishes
 * (ttlSecondsAfterFinished): the pod's emptyDirs hold the scraped data and the resolved Embulk
 * configuration, which must not stay on the node until someone deletes the Job by hand.
 */
export const jobTtlPolicy: Policy = {
  name: 'every Job is cleaned up after it finishes',
  check: (objects) =>
    objects.flatMap((o) => {
      const spec = o.kind === 'Job' ? o.spec : o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec : undefined;
      if (spec === undefined) return [];
      return spec.ttlSecondsAfterFinished === TTL_SECONDS
        ? []
        : [
            `${describeObject(o)}: ttlSecondsAfterFinished is ${spec.ttlSecondsAfterFinished}, not ${TTL_SECONDS}`,
          ];
    }),
  counterExample: {
    variant: 'scrape-job-cron',
    breakIt(objects) {
      delete findObject(objects, 'CronJob', 'scrape-job').spec.jobTemplate.spec.ttlSecondsAfterFinished;
    },
  },
};

// --- internal ---

/** k8s/README.md, scrape-job: read or ship the logs within the hour. */
const TTL_SECONDS = 3600;
