import type { CallOptions } from './grid-options.ts';

/** One call's bound: the client's timeout or the call's shorter one, and the signal that ends it. */
export interface CallDeadline {
  /** Whole milliseconds, for the message. */
  readonly ms: number;
  /** Fires when `ms` has passed: tells a timeout from the caller's abort. */
  readonly timeout: AbortSignal;
  /** The timeout, or the caller's signal, whichever comes first. */
  readonly signal: AbortSignal;
}

export function callDeadline(clientTimeoutMs: number, { timeoutMs, signal }: CallOptions = {}): CallDeadline {
  // AbortSignal.timeout takes whole milliseconds; what is left of a deadline rarely is one.
  const ms = Math.max(1, Math.ceil(Math.min(clientTimeoutMs, timeoutMs ?? clientTimeoutMs)));
  const timeout = AbortSignal.timeout(ms);
  return { ms, timeout, signal: signal ? AbortSignal.any([signal, timeout]) : timeout };
}
