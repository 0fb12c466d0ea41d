import type { LocalCluster } from '@scrapegrid/local-cluster';

const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/** A browser-node pod as a scale-down test sees it. */
export interface NodePod {
  name: string;
  /** The pod's IP: the hub knows a node by it (its URI). */
  ip: string;
  /** Its pod-deletion-cost annotation, if grid-exporter has set one. */
  cost: string | undefined;
  /** The API server has set its deletionTimestamp: it is terminating (preStop may hold it). */
  deleting: boolean;
}

/** The pods matching `selector` in `namespace`, read through the cluster's kubectl. */
export async function nodePods(
  cluster: LocalCluster,
  namespace: string,
  selector: string,
): Promise<NodePod[]> {
  const list = JSON.parse(
    await cluster.kubectl(['-n', namespace, 'get', 'pods', '-l', selector, '-o', 'json']),
  ) as {
    items: Array<{
      metadata: { name: string; annotations?: Record<string, string>; deletionTimestamp?: string };
      status: { podIP?: string };
    }>;
  };
  return list.items.map((p) => ({
    name: p.metadata.name,
    ip: p.status.podIP ?? '',
    cost: p.metadata.annotations?.[POD_DELETION_COST],
    deleting: p.metadata.deletionTimestamp !== undefined,
  }));
}

/** A Service's cluster IP: the host reaches it through kube-proxy's rules, as a pod would. */
export async function clusterIp(cluster: LocalCluster, namespace: string, service: string): Promise<string> {
  return (
    await cluster.kubectl(['-n', namespace, 'get', 'service', service, '-o', 'jsonpath={.spec.clusterIP}'])
  ).trim();
}
