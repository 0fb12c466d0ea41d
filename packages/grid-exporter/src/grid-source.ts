import { ClientError, GraphQLClient } from 'graphql-request';
import { Agent, fetch as undiciFetch } from 'undici';
import { GridPollError } from './grid-poll-error.ts';
import { GRID_QUERY } from './grid-query.ts';

export interface GridClientOptions {
  /** Hub base URL without /graphql. */
  readonly gridUrl: string;
  readonly timeoutSeconds: number;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly token?: string | undefined;
  /** PEM text of the CA to trust for https. */
  readonly ca?: string | undefined;
  readonly insecure?: boolean;
}

export interface GridAnswer {
  /** The GraphQL `data` object. */
  readonly data: unknown;
  /** Ids of queued requests from the queue endpoint; undefined when it did not answer. */
  readonly queueRequestIds: readonly string[] | undefined;
}

export interface GridClient {
  /** One poll: the GraphQL query and the queue's ids, each bounded by the timeout. */
  fetch(): Promise<GridAnswer>;
  close(): Promise<void>;
}

export function makeGridClient(options: GridClientOptions): GridClient {
  const agent = new Agent({
    connect: { ca: options.ca, rejectUnauthorized: !options.insecure },
    keepAliveTimeout: 30_000,
  });
  const headers = _authHeaders(options);
  const timeoutMs = options.timeoutSeconds * 1000;
  const fetchWithAgent = ((input: string, init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher: agent })) as unknown as typeof fetch;
  const graphql = new GraphQLClient(`${options.gridUrl}/graphql`, {
    fetch: fetchWithAgent,
    // The Grid's JSON endpoints want the charset spelled out (selenium-grid.md).
    headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
  });

  return {
    async fetch() {
      const [data, queueRequestIds] = await Promise.all([
        _query(graphql, timeoutMs),
        _queueIds(fetchWithAgent, `${options.gridUrl}/se/grid/newsessionqueue/queue`, headers, timeoutMs),
      ]);
      return { data, queueRequestIds };
    },
    close: () => agent.close(),
  };
}

// --- internal ---

function _authHeaders(options: GridClientOptions): Record<string, string> {
  if (options.token !== undefined) return { Authorization: `Bearer ${options.token}` };
  if (options.username !== undefined && options.password !== undefined) {
    return {
      Authorization: `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`,
    };
  }
  return {};
}

async function _query(graphql: GraphQLClient, timeoutMs: number): Promise<unknown> {
  try {
    return await graphql.request({ document: GRID_QUERY, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw _pollError(error, timeoutMs);
  }
}

async function _queueIds(
  fetchFn: typeof fetch,
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<readonly string[] | undefined> {
  // Only the queue wait depends on this endpoint; its failure must not fail the poll.
  try {
    const response = await fetchFn(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const body = (await response.json()) as { value?: unknown };
    if (!Array.isArray(body.value)) return undefined;
    return body.value.flatMap((r: unknown) => {
      const id = (r as { requestId?: unknown } | null)?.requestId;
      return typeof id === 'string' ? [id] : [];
    });
  } catch {
    return undefined;
  }
}

function _pollError(error: unknown, timeoutMs: number): GridPollError {
  if (error instanceof GridPollError) return error;
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new GridPollError('timeout', `Grid did not answer within ${timeoutMs} ms`, { cause: error });
  }
  if (error instanceof ClientError) {
    const status = error.response.status;
    if (status !== 200)
      return new GridPollError('http_status', `Grid answered HTTP ${status}`, { cause: error });
    return new GridPollError('invalid_response', 'Grid answered with GraphQL errors', { cause: error });
  }
  if (
    error instanceof SyntaxError ||
    (error instanceof Error && /json|content-type|parse/i.test(error.message))
  ) {
    return new GridPollError('invalid_response', `Grid answer is not GraphQL JSON: ${error.message}`, {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GridPollError('unreachable', `Grid unreachable: ${message}`, { cause: error });
}
