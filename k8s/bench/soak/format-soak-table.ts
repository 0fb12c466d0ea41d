/** The soak's figures, one row. */
export interface SoakRow {
  readonly requested: number;
  readonly ok: number;
  readonly lost: number;
  readonly expectedLost: number;
  readonly unexpectedLost: number;
  readonly cut: number;
  readonly waitP50Ms: number | undefined;
  readonly waitP95Ms: number | undefined;
  readonly waitMaxMs: number | undefined;
  readonly nodePodSeconds: number;
  readonly idleShare: number | undefined;
  /** Past their grace period, or Terminating long after their last session ended. */
  readonly stuck: number;
  readonly failedPreStopHooks: number;
  readonly flapsToZero: number;
}

/** One plain-text table (header, rule, the row), `-` where a figure does not exist. */
export function formatSoakTable(row: SoakRow): string {
  const cells: [string, string][] = [
    ['requested', String(row.requested)],
    ['ok', String(row.ok)],
    ['lost', String(row.lost)],
    ['expected-lost', String(row.expectedLost)],
    ['unexpected-lost', String(row.unexpectedLost)],
    ['cut', String(row.cut)],
    ['wait p50', seconds(row.waitP50Ms)],
    ['wait p95', seconds(row.waitP95Ms)],
    ['wait max', seconds(row.waitMaxMs)],
    ['node-pod-s', row.nodePodSeconds.toFixed(0)],
    ['idle', row.idleShare === undefined ? '-' : `${(row.idleShare * 100).toFixed(0)}%`],
    ['stuck', String(row.stuck)],
    ['FailedPreStopHook', String(row.failedPreStopHooks)],
    ['flaps to 0', String(row.flapsToZero)],
  ];
  const widths = cells.map(([h, v]) => Math.max(h.length, v.length));
  const line = (texts: string[]) => texts.map((t, i) => t.padStart(widths[i] ?? 0)).join('  ');
  return [
    line(cells.map(([h]) => h)),
    line(widths.map((w) => '-'.repeat(w))),
    line(cells.map(([, v]) => v)),
  ].join('\n');
}

// --- internal ---

function seconds(ms: number | undefined): string {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`;
}
