import type { Flap, LingeringPod, SessionTimeline, StuckPod } from '@scrapegrid/session-load';
import type { FaultRecord } from './inject-faults.ts';

/**
 * Why a soak failed, one line per reason; empty when it passed. A fault that was not done is a
 * failure too: the soak then did not test what it says.
 */
export function soakVerdict(facts: {
  readonly unexpectedLost: readonly SessionTimeline[];
  readonly pastGrace: readonly StuckPod[];
  readonly lingering: readonly LingeringPod[];
  readonly flaps: readonly Flap[];
  readonly faults: readonly FaultRecord[];
  readonly startedAt: number;
}): string[] {
  const t = (at: number) => `${((at - facts.startedAt) / 1000).toFixed(0)} s`;
  return [
    ...facts.unexpectedLost.map((s) =>
      `session #${s.index} ${s.outcome} (${s.sessionId ?? 'no session'}): ${s.failure?.stage ?? '?'} ${s.failure?.code ?? ''} ${s.failure?.message ?? ''}`.trim(),
    ),
    ...facts.pastGrace.map(
      (p) => `pod ${p.name} stuck Terminating ${(p.pastGraceMs / 1000).toFixed(0)} s past its grace`,
    ),
    ...facts.lingering.map(
      (p) =>
        `pod ${p.name} still Terminating ${(p.lingeredMs / 1000).toFixed(0)} s after its last session ended${p.stillPresent ? ' (still there at the end)' : ''}`,
    ),
    ...facts.flaps.map(
      (f) =>
        `desired nodes 0 from ${t(f.from)} to ${t(f.to)} while sessions ${f.sessions.map((i) => `#${i}`).join(', ')} ran`,
    ),
    ...facts.faults.filter((f) => !f.done).map((f) => `fault ${f.index} ${f.kind} not done: ${f.note}`),
    ...facts.faults
      .filter((f) => f.done && f.kind.startsWith('restart-') && f.recoveredAt === undefined)
      .map((f) => `fault ${f.index} ${f.kind}: ${f.note}`),
  ];
}
