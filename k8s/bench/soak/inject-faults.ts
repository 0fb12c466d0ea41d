import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalCluster } from '@scrapegrid/local-cluster';
import { mulberry32, type PlannedFault } from '@scrapegrid/session-load';
import { gridNodes } from '../../test/cluster/grid-nodes.ts';
import { nodePods } from '../../test/cluster/node-pods.ts';
import { NODE_SELECTOR, NS } from '../../test/keda/shared-grid-under-keda.ts';
import type { SoakFaultKind } from './soak-faults.ts';

/** One fault as it happened (or did not). Times are epoch ms. */
export interface FaultRecord {
  readonly index: number;
  readonly kind: SoakFaultKind;
  /** From the run's start, as planned. */
  readonly plannedAtMs: number;
  /** When it was done; undefined when it was not. */
  readonly at?: number;
  readonly target?: string;
  /** The sessions the hub said ran on the target pod just before the fault. */
  readonly sessionIds: readonly string[];
  readonly done: boolean;
  /** What happened, or why it was not done. */
  readonly note: string;
  /** A restart: when the replacement pod was Ready. */
  readonly recoveredAt?: number;
}

export interface FaultInjector {
  /** Resolves when every fault is done (or given up); records in plan order. */
  readonly finished: Promise<FaultRecord[]>;
  /** Gives up the faults not yet due and resolves with the records. */
  stop(): Promise<FaultRecord[]>;
}

/**
 * Does the planned faults to grid-keda-push on the local cluster, each at `startedAt + atMs`.
 * A fault on a node pod waits for a pod the hub says runs a session (not already Terminating, not
 * hit before) up to `waitForBusyMs` (default 180 s), and picks one with the seed. A failed kubectl
 * is recorded, never thrown: the load goes on.
 */
export function startFaultInjector(options: {
  readonly cluster: LocalCluster;
  readonly hubUrl: string;
  readonly faults: readonly PlannedFault<SoakFaultKind>[];
  readonly startedAt: number;
  readonly seed: number;
  readonly waitForBusyMs?: number;
  readonly log?: (line: string) => void;
}): FaultInjector {
  const { cluster, hubUrl } = options;
  const log = options.log ?? ((line: string) => console.error(line));
  const random = mulberry32((options.seed ^ 0x51ab) >>> 0);
  const stopping = new AbortController();
  const hit = new Set<string>();
  const records: FaultRecord[] = [];

  const busyPods = async (): Promise<{ name: string; sessionIds: string[] }[]> => {
    const [grid, pods] = await Promise.all([gridNodes(hubUrl), nodePods(cluster, NS, NODE_SELECTOR)]);
    return pods
      .filter((p) => !p.deleting && p.ip !== '' && !hit.has(p.name))
      .map((p) => ({
        name: p.name,
        sessionIds: grid.nodes
          .filter((n) => new URL(n.uri).hostname === p.ip)
          .flatMap((n) => n.sessions.map((s) => s.id))
          // A slot being given a new session shows as `reserved`: not yet a session to keep.
          .filter((id) => id !== 'reserved'),
      }))
      .filter((p) => p.sessionIds.length > 0);
  };

  const onBusyPod = async (
    fault: PlannedFault<SoakFaultKind>,
    act: (pod: string) => Promise<string>,
  ): Promise<FaultRecord> => {
    const until = Date.now() + (options.waitForBusyMs ?? 180_000);
    while (!stopping.signal.aborted && Date.now() < until) {
      const busy = await busyPods().catch(() => []);
      const pod = busy[Math.floor(random() * busy.length)];
      if (pod) {
        hit.add(pod.name);
        const at = Date.now();
        const note = await act(pod.name);
        return { ...base(fault), at, target: pod.name, sessionIds: pod.sessionIds, done: true, note };
      }
      await pause(1_000);
    }
    return { ...base(fault), sessionIds: [], done: false, note: 'no busy node pod came in time' };
  };

  const restart = async (
    fault: PlannedFault<SoakFaultKind>,
    namespace: string,
    selector: string,
  ): Promise<FaultRecord> => {
    const names = (
      await cluster.kubectl([
        '-n',
        namespace,
        'get',
        'pods',
        '-l',
        selector,
        '-o',
        'jsonpath={.items[*].metadata.name}',
      ])
    )
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    const at = Date.now();
    await cluster.kubectl(['-n', namespace, 'delete', 'pod', ...names, '--wait=false']);
    const record = { ...base(fault), at, target: names.join(' '), sessionIds: [], done: true };
    const until = Date.now() + 300_000;
    while (Date.now() < until) {
      const pods = JSON.parse(
        await cluster.kubectl(['-n', namespace, 'get', 'pods', '-l', selector, '-o', 'json']),
      ) as {
        items: { metadata: { name: string }; status: { conditions?: { type: string; status: string }[] } }[];
      };
      const ready = pods.items.find(
        (p) =>
          !names.includes(p.metadata.name) &&
          p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      if (ready) return { ...record, note: `replaced by ${ready.metadata.name}`, recoveredAt: Date.now() };
      await pause(1_000);
    }
    return { ...record, note: 'no replacement Ready within 300 s' };
  };

  const doFault = async (fault: PlannedFault<SoakFaultKind>): Promise<FaultRecord> => {
    switch (fault.kind) {
      case 'delete-busy-pod':
        // A normal delete, as a scale-down or a node drain does it: the preStop must hold the pod.
        return onBusyPod(fault, async (pod) => {
          await cluster.kubectl(['-n', NS, 'delete', 'pod', pod, '--wait=false']);
          return 'deleted (graceful)';
        });
      case 'kill-chrome':
        // The stand-in node image runs Debian's chromium (/usr/lib/chromium/chromium behind the
        // /usr/bin/chromium wrapper) and has procps; chromedriver and the node's JVM are spared.
        return onBusyPod(fault, async (pod) => {
          const result = await cluster.kubectlResult([
            '-n',
            NS,
            'exec',
            pod,
            '-c',
            'node',
            '--',
            'pkill',
            '-KILL',
            '-f',
            '/usr/lib/chromium/chromium',
          ]);
          return result.code === 0
            ? 'chromium killed (SIGKILL)'
            : `pkill exited ${result.code}: ${result.stderr.trim() || 'no chromium process matched'}`;
        });
      case 'restart-keda':
        return restart(fault, 'keda', 'app=keda-operator');
      case 'restart-exporter':
        return restart(fault, NS, 'app.kubernetes.io/name=grid-exporter');
    }
  };

  const finished = (async () => {
    for (const fault of options.faults) {
      await pause(options.startedAt + fault.atMs - Date.now());
      if (stopping.signal.aborted) {
        records.push({
          ...base(fault),
          sessionIds: [],
          done: false,
          note: 'the run ended before it was due',
        });
        continue;
      }
      const record = await doFault(fault).catch(
        (error: Error): FaultRecord => ({ ...base(fault), sessionIds: [], done: false, note: error.message }),
      );
      records.push(record);
      log(
        `fault ${fault.index} ${fault.kind}: ${record.done ? 'done' : 'NOT done'} ${record.target ?? ''} ${record.note}` +
          (record.sessionIds.length > 0 ? ` (sessions ${record.sessionIds.join(', ')})` : ''),
      );
    }
    return records;
  })();

  return {
    finished,
    async stop() {
      stopping.abort();
      return finished;
    },
  };

  async function pause(ms: number): Promise<void> {
    if (ms <= 0) return;
    try {
      await sleep(ms, undefined, { signal: stopping.signal });
    } catch {
      // Stopped: the caller checks the signal.
    }
  }
}

// --- internal ---

function base(fault: PlannedFault<SoakFaultKind>) {
  return { index: fault.index, kind: fault.kind, plannedAtMs: fault.atMs };
}
