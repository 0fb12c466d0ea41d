import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** What is awaited, for the timeout message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Time and sleep (default: the wall clock); unit tests pass a fake one. */
  clock?: WaitClock;
}

/** What waitUntil reads the time from and sleeps on. */
export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const systemWaitClock: WaitClock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

export class WaitTimeoutError extends Error {
  readonly code = 'WAIT_TIMEOUT';
}

/** Thrown by a probe to stop waiting at once: the awaited thing can no longer happen. */
export class GiveUpWaiting extends Error {
  readonly code = 'WAIT_GAVE_UP';
}

/**
 * Calls `probe` until it returns a value other than undefined/false, or throws WaitTimeoutError
 * at the deadline. A probe that throws counts as "not yet" (its last error is kept as the cause),
 * except GiveUpWaiting, which is rethrown at once.
 */
export async function waitUntil<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { what, timeoutMs, intervalMs = 100, clock = systemWaitClock }: WaitOptions,
): Promise<T> {
  const deadline = clock.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (error instanceof GiveUpWaiting) throw error;
      lastError = error;
    }
    if (clock.now() >= deadline) {
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await clock.sleep(Math.min(intervalMs, Math.max(0, deadline - clock.now())));
  }
}
