import { Agent, request } from 'undici';
import { callDeadline } from './call-deadline.ts';
import type { DrainAnswer } from './drain-answer.ts';
import { GridError } from './grid-error.ts';
import type { CallOptions, GridAuth, GridOptions } from './grid-options.ts';
import { noAnswer } from './no-answer.ts';
import { type GridNodeStatus, type GridStatus, parseGridStatus } from './parse-grid-status.ts';
import { postGraphql } from './post-graphql.ts';
import { splitUrlCredentials } from './split-url-credentials.ts';

/** Every conversation with one Grid endpoint (hub/router or node), over one undici Agent. */
export interface GridClient {
  /** The base URL without credentials: safe to log. */
  readonly url: string;
  /** GET /status of a hub or a node. */
  status(call?: CallOptions): Promise<GridStatus>;
  /** GET /status of a node; GRID_INVALID_RESPONSE when the endpoint is not a node. */
  nodeStatus(call?: CallOptions): Promise<GridNodeStatus>;
  /** POST {node}/se/grid/node/drain: 200 (no body) when the node drains. Never throws a GridError. */
  drainNode(call?: CallOptions): Promise<DrainAnswer>;
  /**
   * POST {hub}/se/grid/distributor/node/{id}/drain: the distributor marks the node DRAINING in its
   * model at once (so it places no new session there) and forwards the drain to the node. It
   * answers 200 either way; the JSON `value` says whether it worked. Never throws a GridError.
   */
  drainNodeThroughHub(nodeId: string, call?: CallOptions): Promise<DrainAnswer>;
  /**
   * POST {hub}/graphql (graphql-request, on this client's Agent); the answer's `data`. GraphQL
   * errors and a body that is not a GraphQL answer are GRID_INVALID_RESPONSE.
   */
  graphql(query: string, call?: CallOptions): Promise<unknown>;
  /** GET {hub}/se/grid/newsessionqueue/queue: the queued requests' ids, oldest first. */
  queueRequestIds(call?: CallOptions): Promise<readonly string[]>;
  close(): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 3_000;

/**
 * The registration secret goes on every call: the Grid answers 401 when the header is missing,
 * even without a secret (selenium-grid.md). Credentials in `options.url` become basic auth.
 */
export function createGridClient(options: GridOptions): GridClient {
  const { url, auth: urlAuth } = splitUrlCredentials(options.url);
  if (urlAuth && options.auth) {
    throw new GridError('GRID_BAD_URL', `${url}: credentials both in the URL and given apart; keep one`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const dispatcher = new Agent({
    connect: {
      timeout: timeoutMs,
      ...(options.ca ? { ca: options.ca } : {}),
      rejectUnauthorized: !options.insecure,
    },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const headers: Record<string, string> = {
    'x-registration-secret': options.registrationSecret ?? '',
    ..._authorization(urlAuth ?? options.auth),
  };

  const secretName = options.settingNames?.registrationSecret ?? 'the registration secret';
  const authName = options.settingNames?.auth ?? 'the credentials';
  const unauthorized = (who: 'node' | 'hub'): DrainAnswer => ({
    outcome: 'refused',
    detail: `${who} answered 401: ${secretName} does not match the Grid${who === 'hub' ? `, or ${authName} are wrong` : ''}`,
  });

  const call = async (
    method: 'GET' | 'POST',
    path: string,
    options: CallOptions = {},
  ): Promise<{ status: number; body: string; url: string }> => {
    const target = `${url}${path}`;
    const deadline = callDeadline(timeoutMs, options);
    try {
      const response = await request(target, { method, headers, dispatcher, signal: deadline.signal });
      return { status: response.statusCode, body: await response.body.text(), url: target };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw noAnswer(`${method} ${target}`, error, deadline.timeout.aborted, deadline.ms);
    }
  };

  const getJson = async (path: string, options?: CallOptions): Promise<{ json: unknown; url: string }> => {
    const answer = await call('GET', path, options);
    if (answer.status !== 200) {
      throw new GridError('GRID_HTTP_STATUS', `GET ${answer.url} answered ${answer.status}`, {
        status: answer.status,
      });
    }
    return { json: _json(answer.body, `GET ${answer.url}`), url: answer.url };
  };

  return {
    url,
    async status(options) {
      const { json, url: target } = await getJson('/status', options);
      return parseGridStatus(json, target);
    },
    async nodeStatus(options) {
      const { json, url: target } = await getJson('/status', options);
      const { node } = parseGridStatus(json, target);
      // A router or standalone server also answers /status, but without value.node.
      if (!node) throw new GridError('GRID_INVALID_RESPONSE', `GET ${target} answered without a node status`);
      return node;
    },
    async drainNode(options) {
      return _drainAnswer(
        unauthorized('node'),
        () => call('POST', '/se/grid/node/drain', options),
        (answer) =>
          answer.status === 200
            ? { outcome: 'accepted', detail: 'node answered 200' }
            : { outcome: 'refused', detail: `node answered ${answer.status}` },
      );
    },
    async drainNodeThroughHub(nodeId, options) {
      const path = `/se/grid/distributor/node/${encodeURIComponent(nodeId)}/drain`;
      return _drainAnswer(
        unauthorized('hub'),
        () => call('POST', path, options),
        (answer) => {
          if (answer.status !== 200) return { outcome: 'refused', detail: `hub answered ${answer.status}` };
          const value = _value(answer.body);
          return value === true
            ? { outcome: 'accepted', detail: 'hub answered value true' }
            : {
                outcome: 'refused',
                detail: `hub answered value ${JSON.stringify(value)} (does it know this node?)`,
              };
        },
      );
    },
    graphql: (query, options) => postGraphql({ url, headers, dispatcher, timeoutMs }, query, options),
    async queueRequestIds(options) {
      const { json, url: target } = await getJson('/se/grid/newsessionqueue/queue', options);
      const value = (json as { value?: unknown })?.value;
      if (!Array.isArray(value)) {
        throw new GridError('GRID_INVALID_RESPONSE', `GET ${target} answered without a queue`);
      }
      return value.flatMap((entry: unknown) => {
        const id = (entry as { requestId?: unknown } | null)?.requestId;
        return typeof id === 'string' ? [id] : [];
      });
    },
    close: () => dispatcher.close(),
  };
}

// --- internal ---

function _authorization(auth: GridAuth | undefined): Record<string, string> {
  if (auth === undefined) return {};
  if (auth.kind === 'bearer') return { authorization: `Bearer ${auth.token}` };
  return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}

function _json(body: string, what: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw new GridError('GRID_INVALID_RESPONSE', `${what} answered 200 without JSON`, {
      status: 200,
      cause: error,
    });
  }
}

async function _drainAnswer(
  unauthorized: DrainAnswer,
  send: () => Promise<{ status: number; body: string }>,
  read: (answer: { status: number; body: string }) => DrainAnswer,
): Promise<DrainAnswer> {
  let answer: { status: number; body: string };
  try {
    answer = await send();
  } catch (error) {
    if (error instanceof GridError) return { outcome: 'unreachable', detail: error.message };
    throw error;
  }
  if (answer.status === 401) return unauthorized;
  return read(answer);
}

function _value(body: string): unknown {
  try {
    return (JSON.parse(body) as { value?: unknown })?.value;
  } catch {
    return undefined;
  }
}
