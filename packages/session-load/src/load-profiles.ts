import type { LoadProfile } from './load-profile.ts';

/**
 * The named profiles (`--profile`). Times are at scale 1; `--scale` shrinks them all alike.
 * The idle gaps of ci-day (420 s at scale 1) outlast KEDA's default cooldown (300 s) plus a
 * drain, so a pool that can scale to zero does so between the pipelines; at scale < 0.75 they no
 * longer do, which is the price of a short run.
 */
export const LOAD_PROFILES: Readonly<Record<string, LoadProfile>> = Object.freeze({
  'ci-day': {
    name: 'ci-day',
    description:
      'a pipeline of 4-6 tests, developers trickling single tests, idle; a bigger suite of 6-8 and a second pipeline of 3-5 overlapping it, a trickle, idle; a last pipeline of 4-6',
    phases: [
      { kind: 'burst', size: [4, 6], durationS: [20, 120] },
      { kind: 'trickle', spanS: 180, meanGapS: 30, durationS: [10, 60] },
      { kind: 'idle', spanS: 420 },
      { kind: 'burst', size: [6, 8], durationS: [30, 180] },
      { kind: 'pause', spanS: 45 },
      { kind: 'burst', size: [3, 5], durationS: [20, 90] },
      { kind: 'trickle', spanS: 240, meanGapS: 40, durationS: [10, 60] },
      { kind: 'idle', spanS: 420 },
      { kind: 'burst', size: [4, 6], durationS: [20, 120] },
    ],
  },
  smoke: {
    name: 'smoke',
    description: 'a pipeline of 2-3 tests, then a trickle of single tests over 30 s',
    phases: [
      { kind: 'burst', size: [2, 3], durationS: [5, 20] },
      { kind: 'pause', spanS: 20 },
      { kind: 'trickle', spanS: 30, meanGapS: 10, durationS: [5, 20] },
    ],
  },
});
