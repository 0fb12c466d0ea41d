import type { K8sObject } from '../k8s-object.ts';
import { containersIn } from '../pod-templates.ts';
import { withRealSecrets } from './with-real-secrets.ts';

/**
 * The rendered shared-Grid overlay fitted to the local one-node cluster, for a scale-down test
 * that drives the Deployment itself: no KEDA objects (KEDA is not what is tested here), the Chrome
 * node Deployment at `nodes` replicas, CPU and memory requests scaled down so hub, exporter and
 * every node fit a 2-core node (limits stay as shipped), and the pod-deletion-cost controller on or
 * off, the shipped placeholder secrets replaced. Everything else (drain-hook preStop, grace period, probes, RBAC) is what users apply.
 */
export function fitSharedGrid(
  objects: readonly K8sObject[],
  options: { nodes: number; deletionCost: boolean },
): K8sObject[] {
  // No KEDA here: its objects (ScaledObjects, the hub's TriggerAuthentication) stay out.
  const fitted = withRealSecrets(objects).filter((o) => !o.apiVersion.startsWith('keda.sh/'));
  const nodes = fitted.find((o) => o.kind === 'Deployment' && o.metadata.name === 'selenium-node-chrome');
  if (!nodes) throw new Error('the overlay has no selenium-node-chrome Deployment');
  nodes.spec.replicas = options.nodes;
  for (const { container } of containersIn(fitted)) {
    const requests = container.resources?.requests;
    if (requests?.cpu) requests.cpu = '50m';
    if (requests?.memory) requests.memory = '128Mi';
    if (container.name === 'grid-exporter')
      for (const env of container.env ?? [])
        if (env.name === 'GRID_EXPORTER_POD_DELETION_COST') env.value = String(options.deletionCost);
  }
  return fitted;
}
