export interface DrainResult {
  /** The node accepted the drain (HTTP 200): it takes no new session and exits after its last one. */
  draining: boolean;
  /** HTTP status, or the connection error when the node did not answer. */
  detail: string;
}

/**
 * Asks the local Selenium node to drain. The registration secret header is always sent, empty
 * when there is no secret: without it the node answers 401 (shared/docs/selenium-grid.md).
 */
export async function drainNode(
  nodeUrl: string,
  registrationSecret: string,
  timeoutMs = 3_000,
): Promise<DrainResult> {
  try {
    const response = await fetch(`${nodeUrl}/se/grid/node/drain`, {
      method: 'POST',
      headers: { 'X-REGISTRATION-SECRET': registrationSecret },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { draining: response.status === 200, detail: `HTTP ${response.status}` };
  } catch (error) {
    return { draining: false, detail: _describe(error) };
  }
}

// --- internal ---

function _describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as Error).message;
}
