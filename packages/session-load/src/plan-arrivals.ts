import type { LoadPhase, LoadProfile, SecondsRange } from './load-profile.ts';
import { mulberry32 } from './mulberry32.ts';

/** One session the profile asks for. */
export interface PlannedSession {
  /** 0-based, in arrival order. */
  readonly index: number;
  /** When it is requested, from the start of the run. */
  readonly atMs: number;
  /** How long it works once it has a browser, before it quits. */
  readonly durationMs: number;
  /** Which phase of the profile asked for it (0-based), and its kind. */
  readonly phase: number;
  readonly phaseKind: LoadPhase['kind'];
}

export interface PlanOptions {
  readonly seed: number;
  /**
   * Multiplies every time of the profile (arrivals, gaps, durations): 1 is the profile as written,
   * 0.1 a ten times shorter run with the same shape and the same number of sessions.
   */
  readonly scale?: number;
  /** No session works for less than this, whatever the scale (default 1000 ms). */
  readonly minDurationMs?: number;
}

/**
 * The arrivals of one run: a pure function of (profile, seed, scale), so every configuration of a
 * bench meets exactly the same load. Burst sizes are uniform in their range, trickle gaps
 * exponential (a Poisson trickle), durations log-uniform in their range (as many 10-20 s tests as
 * 1-2 min ones, like a real suite). Sorted by arrival; ties keep their order of planning.
 */
export function planArrivals(profile: LoadProfile, options: PlanOptions): PlannedSession[] {
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new RangeError(`scale must be > 0, got ${scale}`);
  const minDurationMs = options.minDurationMs ?? 1_000;
  const random = mulberry32(options.seed);
  // Planned in unscaled seconds, rounded once at the end: a scaled plan is the same plan.
  const planned: { atS: number; durationS: number; phase: number; phaseKind: LoadPhase['kind'] }[] = [];
  let cursorS = 0;

  profile.phases.forEach((phase, p) => {
    switch (phase.kind) {
      case 'burst': {
        const size = phase.size[0] + Math.floor(random() * (phase.size[1] - phase.size[0] + 1));
        for (let i = 0; i < size; i++) {
          planned.push({
            atS: cursorS,
            durationS: _logUniform(random, phase.durationS),
            phase: p,
            phaseKind: phase.kind,
          });
        }
        break;
      }
      case 'trickle': {
        let t = _exponential(random, phase.meanGapS);
        while (t < phase.spanS) {
          planned.push({
            atS: cursorS + t,
            durationS: _logUniform(random, phase.durationS),
            phase: p,
            phaseKind: phase.kind,
          });
          t += _exponential(random, phase.meanGapS);
        }
        cursorS += phase.spanS;
        break;
      }
      case 'pause':
        cursorS += phase.spanS;
        break;
      case 'idle':
        cursorS = Math.max(cursorS, ...planned.map((s) => s.atS + s.durationS)) + phase.spanS;
        break;
    }
  });
  return planned
    .map((s, order) => ({ s, order }))
    .sort((a, b) => a.s.atS - b.s.atS || a.order - b.order)
    .map(({ s }, index) => ({
      index,
      atMs: Math.round(s.atS * scale * 1000),
      durationMs: Math.max(minDurationMs, Math.round(s.durationS * scale * 1000)),
      phase: s.phase,
      phaseKind: s.phaseKind,
    }));
}

// --- internal ---

function _logUniform(random: () => number, [min, max]: SecondsRange): number {
  return Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min)));
}

function _exponential(random: () => number, mean: number): number {
  // 1 - random() is in (0, 1]: never log(0).
  return -Math.log(1 - random()) * mean;
}
