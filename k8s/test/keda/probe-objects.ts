import type { K8sObject } from '../k8s-object.ts';

export interface ProbeOptions {
  namespace: string;
  /** Name of the ScaledObject and of the Deployment it scales. */
  name: string;
  /** The trigger's new `url` (the rendered one names the in-cluster Service). */
  url: string;
  /** The pod image of the probe Deployment (one the node already has). */
  image: string;
  maxReplicaCount?: number;
  pollingInterval?: number;
  cooldownPeriod?: number;
}

/**
 * A rendered overlay's ScaledObject, unchanged except where it points (the trigger's url, a
 * Deployment of the pod sandbox image instead of browser nodes) and the knobs a measurement needs,
 * plus that Deployment at 0 replicas. The trigger metadata, metric type and HPA behaviour stay the
 * overlay's, so KEDA computes exactly what it would for the overlay. maxReplicaCount only bounds
 * the replicas the HPA sets, never the metric KEDA computes.
 */
export function probeObjects(rendered: K8sObject, options: ProbeOptions): K8sObject[] {
  const scaled = structuredClone(rendered);
  scaled.metadata = { name: options.name, namespace: options.namespace, labels: rendered.metadata.labels };
  scaled.spec.scaleTargetRef = { name: options.name };
  // Every trigger (grid-keda's pools have a second one for requests without platformName).
  for (const trigger of scaled.spec.triggers) trigger.metadata.url = options.url;
  if (options.maxReplicaCount !== undefined) scaled.spec.maxReplicaCount = options.maxReplicaCount;
  if (options.pollingInterval !== undefined) scaled.spec.pollingInterval = options.pollingInterval;
  if (options.cooldownPeriod !== undefined) scaled.spec.cooldownPeriod = options.cooldownPeriod;
  const labels = { 'app.kubernetes.io/name': options.name };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: options.name, namespace: options.namespace },
    spec: {
      replicas: 0,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'pause',
              image: options.image,
              imagePullPolicy: 'Never',
              resources: { requests: { cpu: '1m', memory: '4Mi' } },
            },
          ],
        },
      },
    },
  } as unknown as K8sObject;
  return [deployment, scaled];
}
