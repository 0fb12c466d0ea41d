import { GridError } from './grid-error.ts';

/**
 * The GridError for a call that got no answer: GRID_TIMEOUT when its deadline passed (or undici's
 * own connect, headers or body timeout fired), GRID_REFUSED when nothing listens, otherwise
 * GRID_UNREACHABLE. `what` is "METHOD url" without credentials.
 */
export function noAnswer(what: string, error: unknown, timedOut: boolean, ms: number): GridError {
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err.cause?.code ?? err.code;
  if (timedOut || err.name === 'TimeoutError' || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new GridError('GRID_TIMEOUT', `${what}: no answer (timed out after ${ms} ms)`, { cause: error });
  }
  const reason = code ?? err.message ?? String(error);
  return new GridError(
    code === 'ECONNREFUSED' ? 'GRID_REFUSED' : 'GRID_UNREACHABLE',
    `${what}: no answer (${reason})`,
    {
      cause: error,
    },
  );
}

// --- internal ---

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
