import { hubFetch } from './hub-fetch.ts';

/** A real browser session through the hub, by the plain W3C protocol (no client library). */
export interface W3cSession {
  readonly id: string;
  quit(): Promise<void>;
}

export async function startW3cSession(
  hubUrl: string,
  capabilities: Record<string, unknown>,
  timeoutMs = 120_000,
): Promise<W3cSession> {
  const response = await hubFetch(`${hubUrl}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ capabilities: { alwaysMatch: capabilities } }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { value: { sessionId?: string; message?: string } };
  const id = body.value.sessionId;
  if (!response.ok || !id) throw new Error(`new session answered ${response.status}: ${body.value.message}`);
  let quit: Promise<void> | undefined;
  return {
    id,
    quit: () => {
      quit ??= hubFetch(`${hubUrl}/session/${id}`, {
        method: 'DELETE',
        signal: AbortSignal.timeout(30_000),
      }).then(async (r) => {
        await r.body?.cancel();
      });
      return quit;
    },
  };
}
