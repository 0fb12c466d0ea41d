/**
 * A seeded PRNG: mulberry32 (Tommy Ettinger's 32-bit generator, public domain). Ten lines, one
 * 32-bit state, fast and good enough for arrival profiles; no dependency carries it alone. The
 * same seed gives the same sequence on every machine and Node version (only 32-bit integer ops).
 * Returns a function giving numbers in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
