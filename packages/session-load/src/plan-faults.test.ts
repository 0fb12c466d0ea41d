import { describe, expect, test } from 'vitest';
import type { LoadProfile } from './load-profile.ts';
import { LOAD_PROFILES } from './load-profiles.ts';
import { type PlannedSession, planArrivals } from './plan-arrivals.ts';
import { type FaultSpec, planFaults } from './plan-faults.ts';

const ciDay = LOAD_PROFILES['ci-day'] as LoadProfile;
const FAULTS: FaultSpec[] = [
  { kind: 'delete', needsSession: true },
  { kind: 'delete', needsSession: true },
  { kind: 'restart-a', needsSession: false },
  { kind: 'restart-b', needsSession: false },
  { kind: 'kill', needsSession: true },
];

function session(index: number, atMs: number, durationMs: number): PlannedSession {
  return { index, atMs, durationMs, phase: 0, phaseKind: 'burst' };
}

describe('planFaults', () => {
  test('the same plan and seed give the same schedule; another seed another', () => {
    const plan = planArrivals(ciDay, { seed: 42, scale: 0.25 });
    const a = planFaults(plan, FAULTS, { seed: 42 });
    expect(planFaults(plan, FAULTS, { seed: 42 })).toEqual(a);
    expect(planFaults(plan, FAULTS, { seed: 7 })).not.toEqual(a);
    // Pinned: a change to the schedule shows here (ci-day, seed 42, scale 0.25, span 345 s).
    expect(a.map((f) => [f.kind, f.atMs])).toEqual([
      ['delete', 41_862],
      ['delete', 158_564],
      ['kill', 189_185],
      ['restart-b', 238_806],
      ['restart-a', 283_541],
    ]);
  });

  test('every fault once, in time order; one that needs no session in its slot of the middle 80% of the span', () => {
    const plan = planArrivals(ciDay, { seed: 42 });
    const spanMs = Math.max(...plan.map((s) => s.atMs + s.durationMs));
    for (let seed = 0; seed < 100; seed++) {
      const faults = planFaults(plan, FAULTS, { seed });
      expect(faults.map((f) => f.kind).sort()).toEqual([
        'delete',
        'delete',
        'kill',
        'restart-a',
        'restart-b',
      ]);
      expect(faults.map((f) => f.index)).toEqual([0, 1, 2, 3, 4]);
      expect(faults.map((f) => f.atMs)).toEqual([...faults.map((f) => f.atMs)].sort((a, b) => a - b));
      for (const f of faults) {
        expect(f.atMs).toBeGreaterThanOrEqual(Math.floor(spanMs * 0.1) - (f.needsSession ? spanMs : 0));
        expect(f.atMs).toBeLessThanOrEqual(Math.ceil(spanMs * 0.9) + (f.needsSession ? spanMs : 0));
        // A fault on a busy pod lands inside a planned session, whatever its slot.
        if (f.needsSession)
          expect(
            plan.some((s) => f.atMs >= s.atMs && f.atMs <= s.atMs + s.durationMs),
            `${f.kind} at ${f.atMs} ms (seed ${seed}) is inside no planned session`,
          ).toBe(true);
      }
    }
  });

  test('a fault that needs a session lands in the first half of a planned session in its slot', () => {
    // Span 100 s: one slot of 80 s from 10 s; the only session runs 50-70 s.
    const plan = [session(0, 0, 5_000), session(1, 50_000, 20_000), session(2, 95_000, 5_000)];
    for (let seed = 0; seed < 50; seed++) {
      const [fault] = planFaults(plan, [{ kind: 'kill', needsSession: true }], { seed });
      expect(fault?.atMs).toBeGreaterThanOrEqual(50_000);
      expect(fault?.atMs).toBeLessThanOrEqual(60_000);
    }
  });

  test("with no planned session in its slot, in the first half of the session starting nearest it (ci-day's idle gaps outlast the injector's wait)", () => {
    // Span 100 s, two slots of 40 s: 10-50 s and 50-90 s; sessions only at 0-6 s and 94-100 s.
    const plan = [session(0, 0, 6_000), session(1, 94_000, 6_000)];
    for (let seed = 0; seed < 50; seed++) {
      const [first, second] = planFaults(
        plan,
        [
          { kind: 'kill', needsSession: true },
          { kind: 'delete', needsSession: true },
        ],
        { seed },
      );
      expect(first?.atMs).toBeGreaterThanOrEqual(0);
      expect(first?.atMs).toBeLessThanOrEqual(3_000);
      expect(second?.atMs).toBeGreaterThanOrEqual(94_000);
      expect(second?.atMs).toBeLessThanOrEqual(97_000);
    }
  });

  test('ci-day at scale 1, seed 42 (the 30-minute soak): every pod fault inside a planned session', () => {
    const plan = planArrivals(ciDay, { seed: 42, scale: 1 });
    const faults = planFaults(plan, FAULTS, { seed: 42 });
    for (const f of faults.filter((x) => x.needsSession))
      expect(plan.some((s) => f.atMs >= s.atMs && f.atMs <= s.atMs + s.durationMs)).toBe(true);
  });

  test('no faults, no schedule; a plan without sessions is refused', () => {
    expect(planFaults([session(0, 0, 1_000)], [], { seed: 1 })).toEqual([]);
    expect(() => planFaults([], FAULTS, { seed: 1 })).toThrow(RangeError);
  });
});
