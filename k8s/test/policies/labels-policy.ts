import { describeObject } from '../k8s-object.ts';
import { podTemplates } from '../pod-templates.ts';
import { findObject } from './find-object.ts';
import type { Policy } from './policy.ts';

/**
 * Every object and pod template carries app.kubernetes.io/{name,component,part-of}; selectors
 * never hold a version (selectors are immutable on Deployments: a version there breaks upgrades).
 */
export const labelsPolicy: Policy = {
  name: 'app.kubernetes.io labels everywhere, no version in selectors',
  check: (objects) => [
    ...objects.flatMap((object) =>
      missing(object.metadata.labels).map((label) => `${describeObject(object)}: no ${label} label`),
    ),
    ...podTemplates(objects).flatMap((pod) =>
      missing(pod.labels).map((label) => `${describeObject(pod.owner)} pod template: no ${label} label`),
    ),
    ...objects.flatMap((object) =>
      Object.keys(selectorOf(object) ?? {})
        .filter((key) => VERSION_KEYS.includes(key))
        .map((key) => `${describeObject(object)}: selector holds ${key}`),
    ),
  ],
  counterExample: {
    variant: 'grid-keda',
    breakIt(objects) {
      findObject(objects, 'Service', 'selenium-hub').spec.selector['app.kubernetes.io/version'] = '4.48.0';
      delete findObject(objects, 'Deployment', 'selenium-node-chrome').spec.template.metadata.labels[
        'app.kubernetes.io/component'
      ];
    },
  },
};

/** A Service's or workload's pod selector as labels (matchLabels for workloads). */
export function selectorOf(object: {
  kind: string;
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML is untyped.
  spec?: any;
}): Record<string, string> | undefined {
  if (object.kind === 'Service') return object.spec?.selector;
  if (object.kind === 'Deployment') return object.spec?.selector?.matchLabels;
  if (object.kind === 'ServiceMonitor') return object.spec?.selector?.matchLabels;
  return undefined;
}

// --- internal ---

const REQUIRED = ['app.kubernetes.io/name', 'app.kubernetes.io/component', 'app.kubernetes.io/part-of'];
const VERSION_KEYS = ['app.kubernetes.io/version', 'version', 'helm.sh/chart'];

function missing(labels: Record<string, string> | undefined): string[] {
  return REQUIRED.filter((label) => !labels?.[label]);
}
