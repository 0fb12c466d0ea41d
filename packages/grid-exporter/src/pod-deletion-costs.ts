import type { GridNodeState } from './grid-state.ts';

/** The annotation the ReplicaSet controller reads when it picks pods to delete on scale-down. */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/**
 * Three values only, so annotations change when a pod changes state, not on every session:
 * busy pods (a session, or a queued request about to land) stay, idle pods go first, and a pod
 * we can no longer map to a Grid node is returned to the neutral default.
 */
export const DELETION_COST = Object.freeze({ busy: 1000, idle: -1000, unknown: 0 });

export interface PodView {
  readonly name: string;
  readonly ips: readonly string[];
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * The deletion cost each pod should carry, by pod name; undefined means "leave the pod alone"
 * (not mapped to a Grid node and never annotated by us). Grid nodes are mapped to pods by the
 * host of the node's URI: the pod IP, the pod name, or the pod name as the first DNS label.
 */
export function podDeletionCosts(
  pods: readonly PodView[],
  nodes: readonly GridNodeState[],
  neededNodeIds: ReadonlySet<string>,
): Map<string, number | undefined> {
  const byHost = new Map<string, GridNodeState>();
  for (const node of nodes) {
    const host = _host(node.uri);
    if (host !== undefined) byHost.set(host, node);
  }
  const costs = new Map<string, number | undefined>();
  for (const pod of pods) {
    const node =
      [...pod.ips, pod.name].map((key) => byHost.get(key)).find((n) => n !== undefined) ??
      _byFirstLabel(byHost, pod.name);
    if (node === undefined) {
      costs.set(
        pod.name,
        pod.annotations[POD_DELETION_COST] === undefined ? undefined : DELETION_COST.unknown,
      );
      continue;
    }
    const busy = neededNodeIds.has(node.id) || Math.max(node.sessionCount, node.sessions.length) > 0;
    costs.set(pod.name, busy ? DELETION_COST.busy : DELETION_COST.idle);
  }
  return costs;
}

// --- internal ---

function _host(uri: string): string | undefined {
  try {
    return new URL(uri).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

function _byFirstLabel(
  byHost: ReadonlyMap<string, GridNodeState>,
  podName: string,
): GridNodeState | undefined {
  for (const [host, node] of byHost) if (host.split('.')[0] === podName) return node;
  return undefined;
}
