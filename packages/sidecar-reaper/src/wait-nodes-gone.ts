import { setTimeout as sleep } from 'node:timers/promises';

export interface NodesGone {
  outcome: 'gone' | 'timeout' | 'hub-unreachable';
  /** Nodes the hub still listed at the last look. */
  remaining: number;
  ms: number;
}

/**
 * Waits until the hub lists no node (the chrome node drained and left), for at most `timeoutMs`,
 * so the hub is not stopped under a node that is still finishing. A hub that does not answer is
 * not waited for: there is nothing left to protect.
 */
export async function waitNodesGone(hubUrl: string, timeoutMs: number, intervalMs = 250): Promise<NodesGone> {
  const started = performance.now();
  const deadline = started + timeoutMs;
  let remaining = 0;
  for (;;) {
    try {
      const response = await fetch(`${hubUrl}/status`, { signal: AbortSignal.timeout(3_000) });
      const body = (await response.json()) as { value?: { nodes?: unknown[] } };
      remaining = body.value?.nodes?.length ?? 0;
      if (remaining === 0) return { outcome: 'gone', remaining, ms: _since(started) };
    } catch {
      return { outcome: 'hub-unreachable', remaining, ms: _since(started) };
    }
    if (performance.now() >= deadline) return { outcome: 'timeout', remaining, ms: _since(started) };
    await sleep(Math.min(intervalMs, Math.max(0, deadline - performance.now())));
  }
}

// --- internal ---

function _since(started: number): number {
  return Math.round(performance.now() - started);
}
