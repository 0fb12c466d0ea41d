import { type Clock, systemClock } from './clock.ts';
import type { GridClient } from './create-grid-client.ts';
import { GridError } from './grid-error.ts';

export interface WaitReadyOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Called at most every 5 s while waiting, with what the Grid last said. */
  readonly onWaiting?: ((lastProblem: string) => void) | undefined;
  /** Pause between two looks (default 500 ms). */
  readonly intervalMs?: number | undefined;
  readonly clock?: Clock | undefined;
  /**
   * What counts as ready. 'capacity' (default): /status says ready, a node can take a session.
   * 'answer': /status answers at all. A Grid that scales its nodes from 0 on queued requests
   * (KEDA) has no capacity until someone queues one: waiting for capacity there waits forever.
   */
  readonly until?: 'capacity' | 'answer' | undefined;
}

/**
 * Polls the Grid's /status until it says ready (a node can take a session). In a Job pod the
 * worker may start before the hub and node containers, so no answer is expected at first; after
 * `timeoutMs` it throws GridError GRID_NOT_READY with the last thing the Grid said. An abort
 * rejects with the signal's reason at once.
 */
export async function waitForGridReady(client: GridClient, options: WaitReadyOptions): Promise<void> {
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? 500;
  const deadline = clock.now() + options.timeoutMs;
  let lastProblem = 'no answer yet';
  let announced: number | undefined;
  while (clock.now() < deadline) {
    options.signal?.throwIfAborted();
    try {
      const status = await client.status({
        timeoutMs: Math.max(1, deadline - clock.now()),
        signal: options.signal,
      });
      if (status.ready || options.until === 'answer') return;
      lastProblem = `not ready: ${status.message}`;
    } catch (error) {
      if (!(error instanceof GridError)) throw error;
      lastProblem = error.message;
    }
    if (announced === undefined || clock.now() - announced > 5_000) {
      announced = clock.now();
      options.onWaiting?.(lastProblem);
    }
    await clock.sleep(Math.min(intervalMs, Math.max(0, deadline - clock.now())), options.signal);
  }
  throw new GridError(
    'GRID_NOT_READY',
    `the Grid at ${client.url} was not ready after ${options.timeoutMs} ms (${lastProblem})`,
  );
}
