import { clusterLayout, type LocalCluster } from '@scrapegrid/local-cluster';

/** Pods to measure: every pod of `namespace` whose name starts with `prefix` (all when absent). */
export interface PodGroup {
  name: string;
  namespace: string;
  prefix?: string;
}

/** What a group of pods used over a bench run, from the kubelet's summary API. */
export interface PodUsage {
  name: string;
  /** CPU time used between the first and the last sample, all pods of the group together. */
  cpuSeconds: number;
  /** The highest sum of the group's working sets seen in one sample. */
  peakMiB: number;
}

/**
 * Samples the node's `/stats/summary` (cAdvisor's cgroup figures, through the API server's node
 * proxy, as `kubectl top` reads them) every `intervalMs` until stop(). A sample that fails is
 * skipped: the bench's load must not stop for a measurement of the control plane.
 */
export function podUsage(cluster: LocalCluster, groups: PodGroup[], intervalMs = 5_000) {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  const peak = new Map<string, number>();
  const sample = async () => {
    try {
      const summary = JSON.parse(
        await cluster.kubectl([
          'get',
          '--raw',
          `/api/v1/nodes/${clusterLayout.nodeName}/proxy/stats/summary`,
        ]),
      ) as { pods: SummaryPod[] };
      for (const group of groups) {
        const pods = summary.pods.filter(
          (p) => p.podRef.namespace === group.namespace && p.podRef.name.startsWith(group.prefix ?? ''),
        );
        const cpu = pods.reduce((sum, p) => sum + (p.cpu?.usageCoreNanoSeconds ?? 0), 0) / 1e9;
        const memory = pods.reduce((sum, p) => sum + (p.memory?.workingSetBytes ?? 0), 0);
        if (!first.has(group.name)) first.set(group.name, cpu);
        last.set(group.name, cpu);
        peak.set(group.name, Math.max(peak.get(group.name) ?? 0, memory));
      }
    } catch {
      // skipped: see above
    }
  };
  void sample();
  const timer = setInterval(sample, intervalMs);
  return {
    async stop(): Promise<PodUsage[]> {
      clearInterval(timer);
      await sample();
      return groups.map((g) => ({
        name: g.name,
        cpuSeconds: (last.get(g.name) ?? 0) - (first.get(g.name) ?? 0),
        peakMiB: Math.round((peak.get(g.name) ?? 0) / 2 ** 20),
      }));
    },
  };
}

// --- internal ---

interface SummaryPod {
  podRef: { name: string; namespace: string };
  cpu?: { usageCoreNanoSeconds?: number };
  memory?: { workingSetBytes?: number };
}
