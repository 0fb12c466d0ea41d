import type { ClusterCost } from './compute-cluster-cost.ts';
import { formatSeconds } from './format-seconds.ts';
import type { RunSummary } from './summarize-run.ts';

export interface TableRow {
  /** The configuration, e.g. `E grid-exporter push`. */
  readonly name: string;
  readonly summary: RunSummary;
  /** Absent for a run without a cluster recording. */
  readonly cost?: ClusterCost;
}

/** One plain-text table, a row per run; `-` where a figure does not exist. */
export function formatTable(rows: readonly TableRow[]): string {
  const header = [
    'config',
    'requested',
    'ok',
    'lost',
    'no start',
    'cut',
    'wait p50',
    'wait p95',
    'wait max',
    'wall',
    'node-pod-s',
    'idle',
    'stuck',
  ];
  const body = rows.map(({ name, summary: s, cost }) => [
    name,
    String(s.requested),
    String(s.ok),
    String(s.lost),
    String(s.failedToStart),
    String(s.cut),
    formatSeconds(s.queueWait.p50Ms),
    formatSeconds(s.queueWait.p95Ms),
    formatSeconds(s.queueWait.maxMs),
    formatSeconds(s.wallMs, 0),
    cost ? cost.nodePodSeconds.toFixed(0) : '-',
    cost?.idleShare === undefined ? '-' : `${(cost.idleShare * 100).toFixed(0)}%`,
    cost ? String(cost.stuckTerminating.length) : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
