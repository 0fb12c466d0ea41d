import { Counter, Gauge, Registry } from 'prom-client';
import type { PatchResult } from './deletion-cost-controller.ts';
import type { GridPollFailure } from './grid-poll-error.ts';
import type { GridPoller } from './grid-poller.ts';
import type { GridReading } from './grid-snapshot.ts';
import type { MalformedKind, NodeStatus } from './grid-state.ts';

export interface ExporterMetrics {
  /** Counts one pod-deletion-cost patch attempt by result. */
  countPatch(result: PatchResult): void;
  readonly contentType: string;
  /** The exposition text for the current snapshot, rendered once per poll and shared by scrapes. */
  render(): Promise<string>;
}

/**
 * The exporter's own registry. Every gauge reads the poller's current snapshot at scrape time;
 * when the last poll failed only selenium_grid_up (0) and the poll metrics are exported, since
 * stale Grid numbers would mislead an autoscaler. Base units, one prefix, `_total` only on counters.
 */
export function makeExporterMetrics(poller: GridPoller, version: string): ExporterMetrics {
  // Two registries: the exporter's own metrics always; the Grid's only when the last poll worked
  // (prom-client would otherwise print 0 for an unlabelled gauge with nothing to report).
  const registry = new Registry();
  const gridRegistry = new Registry();
  const reading = (): GridReading | undefined => poller.current()?.grid;
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    collect: (g: Gauge) => void,
    target = gridRegistry,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [target],
      collect() {
        this.reset();
        collect(this);
      },
    });

  gauge(
    'selenium_grid_up',
    'Whether the last poll of the Grid succeeded (1) or not (0).',
    [],
    (g) => {
      const snapshot = poller.current();
      g.set(snapshot !== undefined && snapshot.error === undefined ? 1 : 0);
    },
    registry,
  );
  gauge(
    'selenium_grid_poll_duration_seconds',
    'How long the last poll of the Grid took.',
    [],
    (g) => {
      const snapshot = poller.current();
      if (snapshot) g.set(snapshot.durationSeconds);
    },
    registry,
  );
  gauge(
    'selenium_grid_last_poll_timestamp_seconds',
    'When the last poll of the Grid ended, success or not.',
    [],
    (g) => {
      const snapshot = poller.current();
      if (snapshot) g.set(snapshot.at / 1000);
    },
    registry,
  );
  const polls = new Counter({
    name: 'selenium_grid_polls_total',
    help: 'Polls of the Grid.',
    registers: [registry],
  });
  const errors = new Counter({
    name: 'selenium_grid_poll_errors_total',
    help: 'Failed polls of the Grid, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  for (const reason of _POLL_FAILURES) errors.inc({ reason }, 0);
  poller.onPoll((snapshot) => {
    polls.inc();
    if (snapshot.error) errors.inc({ reason: snapshot.error.reason });
  });
  gauge(
    'selenium_grid_exporter_build_info',
    'grid-exporter build; always 1.',
    ['version', 'nodejs'],
    (g) => {
      g.set({ version, nodejs: process.version }, 1);
    },
    registry,
  );

  gauge('selenium_grid_nodes', 'Grid nodes by status.', ['status'], (g) => {
    const r = reading();
    if (!r) return;
    for (const status of _STATUSES)
      g.set({ status: status.toLowerCase() }, r.state.nodes.filter((n) => n.status === status).length);
  });
  gauge(
    'selenium_grid_slots',
    'Grid slots: busy (holding a session) and free (on UP nodes).',
    ['state'],
    (g) => {
      const r = reading();
      if (!r) return;
      let busy = 0;
      let free = 0;
      for (const n of r.state.nodes) {
        const sessions = Math.max(n.sessionCount, n.sessions.length);
        busy += sessions;
        if (n.status === 'UP') free += Math.max(0, Math.min(n.slotCount, n.maxSession) - sessions);
      }
      g.set({ state: 'busy' }, busy);
      g.set({ state: 'free' }, free);
    },
  );
  gauge('selenium_grid_sessions', 'Sessions running on the Grid (the hub’s count).', [], (g) => {
    const r = reading();
    if (r) g.set(r.state.totals.sessionCount);
  });
  gauge('selenium_grid_queue_size', 'Session requests waiting in the Grid’s queue.', [], (g) => {
    const r = reading();
    if (r) g.set(Math.max(r.state.totals.sessionQueueSize, r.state.queue.length));
  });
  gauge(
    'selenium_grid_queue_oldest_wait_seconds',
    'How long the oldest queued request has waited (0 when none).',
    [],
    (g) => {
      const wait = reading()?.oldestQueueWaitSeconds;
      if (wait !== undefined) g.set(wait);
    },
  );
  gauge(
    'selenium_grid_queue_unmatched_requests',
    'Queued requests that match no configured pool.',
    [],
    (g) => {
      const r = reading();
      if (r) g.set(r.unmatchedRequests);
    },
  );
  gauge(
    'selenium_grid_malformed_entries',
    'Entries of the last Grid answer skipped as unreadable, by kind.',
    ['kind'],
    (g) => {
      const r = reading();
      if (!r) return;
      for (const [kind, count] of Object.entries(r.state.malformed) as Array<[MalformedKind, number]>)
        g.set({ kind }, count);
    },
  );

  const perPool = (name: string, help: string, pick: (p: GridReading['pools'][number]) => number) =>
    gauge(`selenium_grid_pool_${name}`, help, ['pool'], (g) => {
      for (const p of reading()?.pools ?? []) g.set({ pool: p.pool }, pick(p));
    });
  perPool(
    'desired_nodes',
    'Browser nodes the pool needs now (README: "Desired nodes").',
    (p) => p.desiredNodes,
  );
  perPool('queued_requests', 'Queued requests that ask for the pool.', (p) => p.queuedRequests);
  perPool('busy_nodes', 'The pool’s UP nodes holding at least one session.', (p) => p.busyNodes);
  perPool('free_slots', 'Free slots of the pool’s kind on its UP nodes.', (p) => p.freeSlots);
  perPool('sessions', 'Sessions on the pool’s nodes.', (p) => p.sessions);
  perPool('nodes', 'Grid nodes that belong to the pool, any status.', (p) => p.nodes);

  const patches = new Counter({
    name: 'selenium_grid_pod_deletion_cost_patches_total',
    help: 'pod-deletion-cost annotation patches by result (ok, conflict, not_found, forbidden, error).',
    labelNames: ['result'],
    registers: [registry],
  });

  const withGrid = Registry.merge([registry, gridRegistry]);
  let cached: { sequence: number; text: Promise<string> } | undefined;
  return {
    contentType: registry.contentType,
    countPatch: (result) => patches.inc({ result }),
    render() {
      const snapshot = poller.current();
      const sequence = snapshot?.sequence ?? 0;
      if (cached?.sequence !== sequence) {
        const text = (snapshot?.grid ? withGrid : registry).metrics();
        cached = { sequence, text };
        // A failed render must not be served from the cache until the next poll.
        text.catch(() => {
          if (cached?.text === text) cached = undefined;
        });
      }
      return cached.text;
    },
  };
}

// --- internal ---

const _STATUSES: readonly NodeStatus[] = ['UP', 'DRAINING', 'DOWN', 'UNKNOWN'];
const _POLL_FAILURES: readonly GridPollFailure[] = [
  'unreachable',
  'timeout',
  'http_status',
  'invalid_response',
];
