import { type Clock, systemClock } from './clock.ts';
import type { GridClient } from './create-grid-client.ts';
import { GridError } from './grid-error.ts';

export interface NoNodesResult {
  readonly outcome: 'gone' | 'timeout' | 'hub-unreachable';
  /** Nodes the hub still listed at the last look. */
  readonly remaining: number;
  readonly ms: number;
}

/**
 * Waits until the hub lists no node (its nodes drained and left), for at most `timeoutMs`, so a
 * hub is not stopped under a node that is still finishing. A hub that does not answer is not
 * waited for: there is nothing left to protect.
 */
export async function waitForNoNodes(
  hub: GridClient,
  options: { readonly timeoutMs: number; readonly intervalMs?: number; readonly clock?: Clock },
): Promise<NoNodesResult> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  const since = () => Math.round(clock.now() - started);
  let remaining = 0;
  for (;;) {
    try {
      remaining = (await hub.status()).nodes.length;
      if (remaining === 0) return { outcome: 'gone', remaining, ms: since() };
    } catch (error) {
      if (!(error instanceof GridError)) throw error;
      return { outcome: 'hub-unreachable', remaining, ms: since() };
    }
    if (clock.now() >= deadline) return { outcome: 'timeout', remaining, ms: since() };
    await clock.sleep(Math.min(options.intervalMs ?? 250, Math.max(0, deadline - clock.now())));
  }
}
