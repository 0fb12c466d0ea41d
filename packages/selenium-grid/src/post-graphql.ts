import { ClientError, GraphQLClient } from 'graphql-request';
import { type Agent, fetch } from 'undici';
import { callDeadline } from './call-deadline.ts';
import { GridError } from './grid-error.ts';
import type { CallOptions } from './grid-options.ts';
import { noAnswer } from './no-answer.ts';

/** Where the Grid's GraphQL endpoint is and how the client reaches it. */
export interface GraphqlEndpoint {
  /** The hub's base URL without credentials. */
  readonly url: string;
  /** The client's headers: registration secret, authorization. */
  readonly headers: Readonly<Record<string, string>>;
  /** The client's Agent: its TLS settings (CA, insecure) and its connect/headers/body timeouts. */
  readonly dispatcher: Agent;
  readonly timeoutMs: number;
}

/**
 * POST {hub}/graphql through graphql-request, over the client's own Agent; the answer's `data`.
 * Every failure is a GridError: no answer as for any call (GRID_TIMEOUT, GRID_REFUSED,
 * GRID_UNREACHABLE), a status other than 200 GRID_HTTP_STATUS, a body that is not a GraphQL answer
 * or carries `errors` GRID_INVALID_RESPONSE. The caller's abort rejects with its reason.
 */
export async function postGraphql(
  endpoint: GraphqlEndpoint,
  query: string,
  call: CallOptions = {},
): Promise<unknown> {
  const target = `${endpoint.url}/graphql`;
  const what = `POST ${target}`;
  const deadline = callDeadline(endpoint.timeoutMs, call);
  // The status the Grid answered, for a body graphql-request then fails to read as GraphQL.
  let status: number | undefined;
  const client = new GraphQLClient(target, {
    headers: { ...endpoint.headers, 'content-type': JSON_CONTENT_TYPE },
    signal: deadline.signal,
    // graphql-request calls this as the global fetch; it goes out on undici's fetch and the
    // client's Agent instead. The body is read here, so that a body that stalls or breaks off
    // is a missing answer (timeout, unreachable), not a body that is not JSON.
    fetch: (async (input: string | URL, init?: RequestInit) => {
      try {
        const response = await fetch(input, { ...(init as object), dispatcher: endpoint.dispatcher });
        status = response.status;
        const body = await response.text();
        return new Response(NULL_BODY_STATUSES.has(status) ? null : body, {
          status,
          headers: [...response.headers],
        });
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason;
        throw noAnswer(what, error, deadline.timeout.aborted, deadline.ms);
      }
    }) as typeof globalThis.fetch,
  });

  let answer: Awaited<ReturnType<typeof client.rawRequest<unknown>>>;
  try {
    answer = await client.rawRequest<unknown>(query);
  } catch (error) {
    if (error instanceof GridError || (call.signal?.aborted && error === call.signal.reason)) throw error;
    throw _answerError(what, status, error);
  }
  if (answer.status !== 200) {
    throw new GridError('GRID_HTTP_STATUS', `${what} answered ${answer.status}`, { status: answer.status });
  }
  return answer.data;
}

// --- internal ---

// The Grid's own JSON content-type check wants the charset spelled out (selenium-grid.md).
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

// Statuses whose Response may not carry a body, even an empty one.
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** An answer came; graphql-request refused it: a ClientError (a status other than 2xx, or `errors`), or a parse error. */
function _answerError(what: string, status: number | undefined, error: unknown): GridError {
  if (error instanceof ClientError) {
    const answered = error.response.status;
    if (answered !== 200) {
      return new GridError('GRID_HTTP_STATUS', `${what} answered ${answered}`, {
        status: answered,
        cause: error,
      });
    }
    const first = error.response.errors?.[0]?.message;
    return new GridError('GRID_INVALID_RESPONSE', `${what} answered GraphQL errors: ${first}`, {
      cause: error,
    });
  }
  return new GridError(
    'GRID_INVALID_RESPONSE',
    `${what} answered ${status} without a GraphQL answer (JSON)`,
    {
      status,
      cause: error,
    },
  );
}
