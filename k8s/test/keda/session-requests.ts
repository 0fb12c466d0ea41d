import { hubFetch } from '../cluster/hub-fetch.ts';

/**
 * New-session requests that wait in the hub's queue: each is a plain W3C POST /session left
 * open (no client library, so a capability can carry a value a library would refuse, such as a
 * numeric browserVersion). clear() empties the hub's queue the way an operator does (DELETE on
 * the queue with the registration secret) and ends the requests.
 */
export interface QueuedRequests {
  clear(): Promise<void>;
}

export function queueSessionRequests(
  hubUrl: string,
  registrationSecret: string,
  capabilities: Record<string, unknown>,
  count: number,
): QueuedRequests {
  const abort = new AbortController();
  for (let i = 0; i < count; i++) {
    hubFetch(`${hubUrl}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ capabilities: { alwaysMatch: capabilities } }),
      signal: abort.signal,
      // The hub answers when the request leaves the queue (cleared or timed out): nothing to read.
    }).then(
      (response) => response.body?.cancel(),
      () => {},
    );
  }
  return {
    clear: async () => {
      const response = await hubFetch(`${hubUrl}/se/grid/newsessionqueue/queue`, {
        method: 'DELETE',
        headers: { 'X-REGISTRATION-SECRET': registrationSecret },
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`clearing the hub's queue answered ${response.status}`);
      abort.abort();
    },
  };
}
