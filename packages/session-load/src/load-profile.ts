/** A range [min, max] in seconds at scale 1. */
export type SecondsRange = readonly [min: number, max: number];

/**
 * One phase of a load profile. Phases run in order on one time cursor:
 * - `burst`: a pipeline starting `size` tests at once, at the cursor (the cursor does not move);
 * - `trickle`: single sessions over `spanS`, exponential gaps of mean `meanGapS`; the cursor moves by `spanS`;
 * - `pause`: the cursor moves by `spanS` (the next burst overlaps what still runs);
 * - `idle`: the cursor moves to `spanS` after the last planned session ends: a gap with no load,
 *   long enough for scale-to-zero when `spanS` exceeds the autoscaler's cooldown.
 */
export type LoadPhase =
  | {
      readonly kind: 'burst';
      readonly size: readonly [min: number, max: number];
      readonly durationS: SecondsRange;
    }
  | {
      readonly kind: 'trickle';
      readonly spanS: number;
      readonly meanGapS: number;
      readonly durationS: SecondsRange;
    }
  | { readonly kind: 'pause'; readonly spanS: number }
  | { readonly kind: 'idle'; readonly spanS: number };

/** A named sequence of phases; with a seed and a scale it gives one plan (planArrivals). */
export interface LoadProfile {
  readonly name: string;
  readonly description: string;
  readonly phases: readonly LoadPhase[];
}
