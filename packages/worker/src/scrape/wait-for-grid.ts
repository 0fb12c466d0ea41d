import { setTimeout as sleep } from 'node:timers/promises';

export class GridNotReadyError extends Error {
  readonly code = 'GRID_NOT_READY';
}

/**
 * Polls the Grid's /status until it says ready (a node can take a session). In the Job pod the
 * worker may start before the hub and node containers, so connection errors are expected at
 * first; after `timeoutMs` it throws GridNotReadyError with the last thing the Grid said.
 */
export async function waitForGrid(
  gridUrl: string,
  timeoutMs: number,
  signal?: AbortSignal,
  onWaiting?: (lastProblem: string) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  let announced = 0;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    try {
      const response = await fetch(new URL('status', _withSlash(gridUrl)), {
        signal: AbortSignal.timeout(Math.max(1, Math.min(3_000, deadline - Date.now()))),
      });
      const body = (await response.json()) as { value?: { ready?: boolean; message?: string } };
      if (body.value?.ready === true) return;
      lastProblem = `not ready: ${body.value?.message ?? `HTTP ${response.status}`}`;
    } catch (error) {
      lastProblem = _reason(error);
    }
    if (Date.now() - announced > 5_000) {
      announced = Date.now();
      onWaiting?.(lastProblem);
    }
    await sleep(Math.min(500, Math.max(0, deadline - Date.now())), undefined, { signal });
  }
  throw new GridNotReadyError(`the Grid at ${gridUrl} was not ready after ${timeoutMs} ms (${lastProblem})`);
}

// --- internal ---

function _withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function _reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
