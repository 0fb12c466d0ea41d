import type { PodLifetime } from './pod-lifetime.ts';

/**
 * Most pods alive at once, from creation until the recorder saw them gone (a pod not yet gone
 * counts as alive). A pod created at the instant another vanished is not counted with it.
 */
export function peakAlivePods(pods: readonly Pick<PodLifetime, 'createdAt' | 'goneAt'>[]): number {
  const events = pods.flatMap((p) => [
    [p.createdAt, 1] as const,
    [p.goneAt ?? Number.POSITIVE_INFINITY, -1] as const,
  ]);
  // At equal times the departure goes first.
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let alive = 0;
  let peak = 0;
  for (const [, delta] of events) {
    alive += delta;
    peak = Math.max(peak, alive);
  }
  return peak;
}
