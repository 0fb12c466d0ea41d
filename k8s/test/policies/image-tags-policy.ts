import { containersIn } from '../pod-templates.ts';
import { findObject } from './find-object.ts';
import type { Policy } from './policy.ts';

/**
 * Every image is pinned (a tag other than latest, or a digest) and names no registry host: the
 * overlay's `images:` sets tags, and a platform team points the names at its own registry there.
 */
export const imageTagsPolicy: Policy = {
  name: 'images pinned, never latest, no registry host',
  check: (objects) =>
    containersIn(objects).flatMap(({ container, where }) => {
      const image: string = container.image ?? '';
      const problems: string[] = [];
      const [path = '', digest] = image.split('@');
      const lastSlash = path.lastIndexOf('/');
      const colon = path.indexOf(':', lastSlash + 1);
      const tag = colon === -1 ? undefined : path.slice(colon + 1);
      if (digest === undefined && tag === undefined) problems.push(`${image} has no tag`);
      if (tag === 'latest') problems.push(`${image} uses latest`);
      const first = path.split('/')[0] ?? '';
      if (path.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
        problems.push(`${image} names a registry host`);
      }
      return problems.map((problem) => `${where}: ${problem}`);
    }),
  counterExample: {
    variant: 'scrape-job-native',
    breakIt(objects) {
      const spec = findObject(objects, 'Job', 'scrape-job').spec.template.spec;
      spec.containers[0].image = 'scrapegrid/worker:latest';
      spec.initContainers[0].image = 'registry.example.com/selenium/hub';
    },
  },
};
