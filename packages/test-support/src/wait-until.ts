import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** What is awaited, for the timeout message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
}

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
  { what, timeoutMs, intervalMs = 100 }: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (error instanceof GiveUpWaiting) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}
