import { mulberry32 } from './mulberry32.ts';
import type { PlannedSession } from './plan-arrivals.ts';

/** A kind of fault a soak injects; `needsSession` ones act on a node pod that runs a session. */
export interface FaultSpec<K extends string = string> {
  readonly kind: K;
  readonly needsSession: boolean;
}

/** One fault of the schedule: what, and when from the start of the run. */
export interface PlannedFault<K extends string = string> {
  /** 0-based, in time order. */
  readonly index: number;
  readonly kind: K;
  readonly needsSession: boolean;
  readonly atMs: number;
}

/**
 * When a soak's faults happen: a pure function of (plan, faults, seed), so a soak can be run
 * again on the same schedule. The faults are shuffled and each gets one equal slot of the plan's
 * middle (10% to 90% of its span: the first sessions have started, the last have not ended).
 * A fault that needs a session goes into the first half of a planned session that overlaps its
 * slot (the session still has work to do), so it lands where a browser is meant to be busy;
 * with none in its slot, into the first half of the planned session starting nearest the slot
 * (an idle gap of ci-day is longer than the injector's wait for a busy pod: a fault put there was
 * never done, seen in the first 30-minute soak). Returned in time order.
 */
export function planFaults<K extends string>(
  plan: readonly PlannedSession[],
  faults: readonly FaultSpec<K>[],
  options: { readonly seed: number },
): PlannedFault<K>[] {
  if (faults.length === 0) return [];
  const spanMs = Math.max(0, ...plan.map((s) => s.atMs + s.durationMs));
  if (spanMs === 0) throw new RangeError('planFaults: the plan has no session to spread faults over');
  // Its own stream: the same seed as the arrivals, not the same numbers.
  const random = mulberry32((options.seed ^ FAULT_STREAM) >>> 0);
  const order = [...faults];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as FaultSpec<K>, order[i] as FaultSpec<K>];
  }
  const from = spanMs * 0.1;
  const slotMs = (spanMs * 0.8) / order.length;
  const placed = order.map((fault, i) => {
    const slotStart = from + i * slotMs;
    const slotEnd = slotStart + slotMs;
    let atMs = slotStart + random() * slotMs;
    if (fault.needsSession) {
      const overlapping = plan.filter((s) => s.atMs < slotEnd && s.atMs + s.durationMs > slotStart);
      const session = overlapping[Math.floor(random() * overlapping.length)];
      if (session) {
        const start = Math.max(slotStart, session.atMs);
        const end = Math.min(slotEnd, session.atMs + session.durationMs);
        atMs = start + random() * (end - start) * 0.5;
      } else {
        const nearest = nearestSession(plan, slotStart, slotEnd);
        atMs = nearest.atMs + random() * nearest.durationMs * 0.5;
      }
    }
    return { kind: fault.kind, needsSession: fault.needsSession, atMs: Math.round(atMs) };
  });
  return placed.sort((a, b) => a.atMs - b.atMs).map((fault, index) => ({ index, ...fault }));
}

// --- internal ---

const FAULT_STREAM = 0x9e3779b9;

/** The planned session whose start is nearest the slot [from, to); the plan is not empty. */
function nearestSession(plan: readonly PlannedSession[], from: number, to: number): PlannedSession {
  const distance = (s: PlannedSession) => (s.atMs < from ? from - s.atMs : Math.max(0, s.atMs - to));
  return plan.reduce((best, s) => (distance(s) < distance(best) ? s : best));
}
