/**
 * Every failure of a conversation with a Selenium Grid. Callers branch on `code`, never on the
 * message (which names the URL, without credentials, and what to do):
 * - GRID_REFUSED: nothing listens there (connection refused): a node that has exited;
 * - GRID_TIMEOUT: no answer within the call's timeout;
 * - GRID_UNREACHABLE: no answer otherwise (DNS, TLS, a connection cut): inconclusive;
 * - GRID_HTTP_STATUS: an answer with an unexpected status (`status` holds it);
 * - GRID_INVALID_RESPONSE: an answer that is not what a Grid says (not JSON, no node, GraphQL errors);
 * - GRID_NOT_READY: the Grid did not become ready before the deadline;
 * - GRID_DRAIN_REFUSED: neither the node nor the hub accepted the drain (wrong secret, wrong URL);
 * - GRID_DRAIN_DEADLINE: the deadline came while the node still ran sessions (`sessionsLeft`);
 * - GRID_BAD_URL: a URL the client cannot use (credentials twice, not http or https).
 */
export class GridError extends Error {
  override readonly name = 'GridError';
  readonly code: GridErrorCode;
  readonly status: number | undefined;
  readonly sessionsLeft: number | undefined;

  constructor(
    code: GridErrorCode,
    message: string,
    options: { status?: number; sessionsLeft?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.sessionsLeft = options.sessionsLeft;
  }
}

export type GridErrorCode =
  | 'GRID_REFUSED'
  | 'GRID_TIMEOUT'
  | 'GRID_UNREACHABLE'
  | 'GRID_HTTP_STATUS'
  | 'GRID_INVALID_RESPONSE'
  | 'GRID_NOT_READY'
  | 'GRID_DRAIN_REFUSED'
  | 'GRID_DRAIN_DEADLINE'
  | 'GRID_BAD_URL';
