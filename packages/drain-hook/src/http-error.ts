/**
 * An HTTP call that got no usable answer. `code` tells callers what happened:
 * - DRAIN_HOOK_REFUSED: nothing listens there (connection refused): the server has exited;
 * - DRAIN_HOOK_UNREACHABLE: no answer in time, or the connection broke: inconclusive;
 * - DRAIN_HOOK_HTTP_STATUS: an answer, but not the expected one (`status` holds its status).
 */
export class HttpError extends Error {
  readonly code: 'DRAIN_HOOK_REFUSED' | 'DRAIN_HOOK_UNREACHABLE' | 'DRAIN_HOOK_HTTP_STATUS';
  readonly status: number | undefined;

  constructor(code: HttpError['code'], message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
  }
}
