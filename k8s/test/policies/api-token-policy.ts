import { containersIn, imageName, podTemplates } from '../pod-templates.ts';
import { apiProgramsIn } from './api-programs-in.ts';
import { findObject } from './find-object.ts';
import { hasToken } from './has-token.ts';
import type { Policy } from './policy.ts';

/**
 * A ServiceAccount token only where a program calls the API (the converse of the RBAC policy,
 * which gives every such program its token): never in a browser's container, where pages from
 * anywhere are rendered, nor in the worker's. A pod with an API client carries
 * `scrapegrid/kube-api: client`, the label components/network-policy opens the API for, and no
 * other pod does.
 */
export const apiTokenPolicy: Policy = {
  name: 'a ServiceAccount token only in the containers that call the API',
  check: (objects) => [
    ...containersIn(objects).flatMap(({ pod, container, where }) => {
      if (!hasToken(objects, pod.spec, container)) return [];
      const problems: string[] = [];
      if (apiProgramsIn(container).length === 0) problems.push(`${where}: has a token but calls no API`);
      if (BROWSER_OR_WORKER.test(imageName(container.image ?? '')))
        problems.push(`${where}: a token beside the browser or worker`);
      return problems;
    }),
    ...podTemplates(objects).flatMap((pod) => {
      const clients = containersIn(objects).filter(
        (c) => c.pod.owner === pod.owner && apiProgramsIn(c.container).length > 0,
      );
      const labelled = pod.labels[API_LABEL] === 'client';
      if (clients.length > 0 && !labelled)
        return [`${pod.owner.kind}/${pod.owner.metadata.name}: calls the API without ${API_LABEL}`];
      if (clients.length === 0 && labelled)
        return [`${pod.owner.kind}/${pod.owner.metadata.name}: ${API_LABEL} but no API client`];
      return [];
    }),
  ],
  counterExample: {
    variant: 'scrape-job',
    breakIt(objects) {
      const spec = findObject(objects, 'Job', 'scrape-job').spec.template.spec;
      const chrome = spec.containers.find((c: { name: string }) => c.name === 'chrome');
      chrome.volumeMounts.push({ name: 'sidecar-reaper-token', mountPath: '/run/token' });
    },
  },
};

// --- internal ---

const API_LABEL = 'scrapegrid/kube-api';
const BROWSER_OR_WORKER = /^(selenium\/node-|scrapegrid\/worker$)/;
