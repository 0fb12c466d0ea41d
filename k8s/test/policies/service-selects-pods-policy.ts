import { describeObject } from '../k8s-object.ts';
import { podTemplates } from '../pod-templates.ts';
import { findObject } from './find-object.ts';
import { selectorOf } from './labels-policy.ts';
import type { Policy } from './policy.ts';

/**
 * Every Service (and ServiceMonitor) selects the pods of a workload in the same overlay and
 * namespace, and every port it targets is a port those pods declare.
 */
export const serviceSelectsPodsPolicy: Policy = {
  name: 'every Service selects pods that exist, on ports they declare',
  check: (objects) => {
    const pods = podTemplates(objects);
    const services = objects.filter((o) => o.kind === 'Service');
    return [
      ...services.flatMap((service) => {
        const selector = selectorOf(service) ?? {};
        if (Object.keys(selector).length === 0) return [`${describeObject(service)}: empty selector`];
        const selected = pods.filter(
          (pod) =>
            pod.namespace === service.metadata.namespace &&
            Object.entries(selector).every(([key, value]) => pod.labels[key] === value),
        );
        if (selected.length === 0) return [`${describeObject(service)}: selects no pod of this overlay`];
        return (service.spec.ports ?? []).flatMap(
          (port: { name?: string; port: number; targetPort?: string | number }) => {
            const target = port.targetPort ?? port.port;
            const declared = selected.every((pod) =>
              [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])].some((c) =>
                (c.ports ?? []).some((p: { name?: string; containerPort: number }) =>
                  typeof target === 'string' ? p.name === target : p.containerPort === target,
                ),
              ),
            );
            return declared
              ? []
              : [`${describeObject(service)}: target port ${target} is not declared by its pods`];
          },
        );
      }),
      ...objects
        .filter((o) => o.kind === 'ServiceMonitor')
        .flatMap((monitor) => {
          const selector = selectorOf(monitor) ?? {};
          const service = services.find(
            (s) =>
              s.metadata.namespace === monitor.metadata.namespace &&
              Object.entries(selector).every(([key, value]) => s.metadata.labels?.[key] === value),
          );
          if (service === undefined) return [`${describeObject(monitor)}: selects no Service`];
          return (monitor.spec.endpoints ?? [])
            .filter(
              (e: { port?: string }) =>
                !(service.spec.ports ?? []).some((p: { name?: string }) => p.name === e.port),
            )
            .map(
              (e: { port?: string }) =>
                `${describeObject(monitor)}: ${describeObject(service)} has no port ${e.port}`,
            );
        }),
    ];
  },
  counterExample: {
    variant: 'grid-keda-exporter',
    breakIt(objects) {
      findObject(objects, 'Service', 'grid-exporter').spec.selector['app.kubernetes.io/name'] =
        'grid-exporterr';
    },
  },
};
