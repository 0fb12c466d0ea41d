import { containersIn } from '../pod-templates.ts';
import { findObject } from './find-object.ts';
import type { Policy } from './policy.ts';

/** Every container, init containers included, requests and limits both cpu and memory. */
export const resourcesPolicy: Policy = {
  name: 'every container has cpu and memory requests and limits',
  check: (objects) =>
    containersIn(objects).flatMap(({ container, where }) =>
      ['requests', 'limits'].flatMap((kind) =>
        ['cpu', 'memory']
          .filter((resource) => container.resources?.[kind]?.[resource] === undefined)
          .map((resource) => `${where}: no ${kind}.${resource}`),
      ),
    ),
  counterExample: {
    variant: 'scrape-job',
    breakIt(objects) {
      delete findObject(objects, 'Job', 'scrape-job').spec.template.spec.initContainers[0].resources.limits;
    },
  },
};
