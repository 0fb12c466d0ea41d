import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Politeness: at least `delayMs` between two requests to the same host, however many browser
 * sessions run. Each caller reserves the next free slot for its host, then sleeps until it.
 */
export class HostGate {
  readonly #delayMs: number;
  readonly #nextSlot = new Map<string, number>();
  readonly #now: () => number;

  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  /** `now` and `wait` are the clock; tests give a fake one. */
  constructor(
    delayMs: number,
    now: () => number = Date.now,
    wait: (ms: number, signal?: AbortSignal) => Promise<void> = (ms, signal) =>
      sleep(ms, undefined, { signal }),
  ) {
    this.#delayMs = delayMs;
    this.#now = now;
    this.#sleep = wait;
  }

  /** Resolves when a request to `url`'s host may start. */
  async wait(url: string, signal?: AbortSignal): Promise<void> {
    if (this.#delayMs <= 0) return;
    const host = new URL(url).host;
    const now = this.#now();
    const slot = Math.max(now, this.#nextSlot.get(host) ?? 0);
    this.#nextSlot.set(host, slot + this.#delayMs);
    if (slot > now) await this.#sleep(slot - now, signal);
  }
}
