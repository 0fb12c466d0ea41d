import type { LimitsSpec } from '../spec/job-spec.ts';

/**
 * The pause before retry number `attempt` (1 = the first retry): exponential, capped at maxMs, then
 * spread by ±jitter (a fraction) so that pages failing together do not retry in lockstep.
 */
export function backoffDelay(attempt: number, backoff: LimitsSpec['backoff'], random = Math.random): number {
  const exponential = backoff.initialMs * backoff.multiplier ** Math.max(0, attempt - 1);
  const capped = Math.min(backoff.maxMs, exponential);
  const spread = capped * backoff.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(backoff.maxMs, capped + spread)));
}
