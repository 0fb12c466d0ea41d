import { clusterLayout, type LocalCluster } from '@scrapegrid/local-cluster';

/** Pods to measure: every pod of `namespace` whose name starts with `prefix` (all when absent). */
export interface PodGroup {
  name: string;
  namespace: string;
  prefix?: string;
  /** Only this container of each pod (the whole pod when absent). */
  container?: string;
}

/** What a group of pods used over a bench run, from the kubelet's summary API. */
export interface PodUsage {
  name: string;
  /** CPU time used between the first and the last sample, all pods of the group together. */
  cpuSeconds: number;
  /** The highest sum of the group's working sets seen in one sample. */
  peakMiB: number;
  /** The highest CPU rate of one pod (or container) of the group between two cAdvisor samples, in cores. */
  peakCores: number;
}

/**
 * Samples the node's `/stats/summary` (cAdvisor's cgroup figures, through the API server's node
 * proxy, as `kubectl top` reads them) every `intervalMs` until stop(). A sample that fails is
 * skipped: the bench's load must not stop for a measurement of the control plane.
 */
export function podUsage(cluster: LocalCluster, groups: PodGroup[], intervalMs = 5_000) {
  // Per pod (or container): its CPU seconds at its first sample and the most seen since, so a pod
  // that ends (and leaves the summary) keeps what it used.
  const cpuSpan = new Map<string, { group: string; first: number; most: number }>();
  const peak = new Map<string, number>();
  const peakRate = new Map<string, number>();
  // Per pod (or container): cAdvisor's last CPU reading and its own timestamp (it refreshes every
  // few seconds, not at each of our samples, so a rate is taken between two of its readings).
  const lastReading = new Map<string, { usage: number; at: number }>();
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
        const measured: [string, Usage][] = group.container
          ? pods.flatMap((p) =>
              (p.containers ?? [])
                .filter((c) => c.name === group.container)
                .map((c): [string, Usage] => [`${p.podRef.name}/${c.name}`, c]),
            )
          : pods.map((p): [string, Usage] => [p.podRef.name, p]);
        for (const [key, usage] of measured) {
          const reading = {
            usage: usage.cpu?.usageCoreNanoSeconds ?? 0,
            at: Date.parse(usage.cpu?.time ?? ''),
          };
          const before = lastReading.get(`${group.name}/${key}`);
          if (before && reading.at > before.at && reading.usage >= before.usage) {
            const cores = (reading.usage - before.usage) / 1e6 / (reading.at - before.at);
            peakRate.set(group.name, Math.max(peakRate.get(group.name) ?? 0, cores));
          }
          if (Number.isFinite(reading.at)) lastReading.set(`${group.name}/${key}`, reading);
          const seconds = reading.usage / 1e9;
          const span = cpuSpan.get(`${group.name}/${key}`);
          if (span) span.most = Math.max(span.most, seconds);
          else cpuSpan.set(`${group.name}/${key}`, { group: group.name, first: seconds, most: seconds });
        }
        const memory = measured.reduce((sum, [, u]) => sum + (u.memory?.workingSetBytes ?? 0), 0);
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
        cpuSeconds: [...cpuSpan.values()]
          .filter((span) => span.group === g.name)
          .reduce((sum, span) => sum + span.most - span.first, 0),
        peakMiB: Math.round((peak.get(g.name) ?? 0) / 2 ** 20),
        peakCores: peakRate.get(g.name) ?? 0,
      }));
    },
  };
}

// --- internal ---

interface Usage {
  cpu?: { time?: string; usageCoreNanoSeconds?: number };
  memory?: { workingSetBytes?: number };
}

interface SummaryPod extends Usage {
  podRef: { name: string; namespace: string };
  containers?: (Usage & { name: string })[];
}
