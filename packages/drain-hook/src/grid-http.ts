import { Agent, request } from 'undici';
import { HttpError } from './http-error.ts';
import type { DrainHookConfig } from './parse-config.ts';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** The few HTTP calls drain-hook makes, each bounded by the HTTP timeout and the deadline. */
export interface GridHttp {
  /**
   * GET and parse JSON; HttpError unless 200 with a JSON body. `floorMs` lets a call that must
   * happen (finding and draining the node) run even when the deadline is already (nearly) past.
   */
  getJson(url: string, target: 'node' | 'hub', floorMs?: number): Promise<unknown>;
  /** POST without a body; any status is returned, only "no answer" throws (REFUSED or UNREACHABLE). */
  post(url: string, target: 'node' | 'hub', floorMs?: number): Promise<HttpAnswer>;
  close(): Promise<void>;
}

type HttpConfig = Pick<
  DrainHookConfig,
  'httpTimeoutMs' | 'registrationSecret' | 'hubAuth' | 'ca' | 'insecure'
>;

/**
 * `remainingMs` is the time left before the deadline: no call may outlive it. The registration
 * secret goes on every call (the Grid answers 401 when the header is missing, even without a
 * secret); basic auth goes to the hub only.
 */
export function createGridHttp(config: HttpConfig, remainingMs: () => number): GridHttp {
  const dispatcher = new Agent({
    connect: {
      timeout: config.httpTimeoutMs,
      ...(config.ca ? { ca: config.ca.pem } : {}),
      rejectUnauthorized: !config.insecure,
    },
    headersTimeout: config.httpTimeoutMs,
    bodyTimeout: config.httpTimeoutMs,
  });
  const authorization = config.hubAuth
    ? `Basic ${Buffer.from(`${config.hubAuth.username}:${config.hubAuth.password}`).toString('base64')}`
    : undefined;

  const call = async (
    method: 'GET' | 'POST',
    url: string,
    target: 'node' | 'hub',
    floorMs = 1,
  ): Promise<HttpAnswer> => {
    const timeoutMs = Math.min(config.httpTimeoutMs, Math.max(floorMs, remainingMs()));
    const headers: Record<string, string> = { 'x-registration-secret': config.registrationSecret };
    if (target === 'hub' && authorization) headers.authorization = authorization;
    try {
      const response = await request(url, {
        method,
        headers,
        dispatcher,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.statusCode, body: await response.body.text() };
    } catch (error) {
      const reason = _reason(error);
      const code = reason === 'ECONNREFUSED' ? 'DRAIN_HOOK_REFUSED' : 'DRAIN_HOOK_UNREACHABLE';
      throw new HttpError(code, `${method} ${url}: no answer (${reason})`, { cause: error });
    }
  };

  return {
    async getJson(url, target, floorMs) {
      const answer = await call('GET', url, target, floorMs);
      if (answer.status !== 200) {
        throw new HttpError('DRAIN_HOOK_HTTP_STATUS', `GET ${url} answered ${answer.status}`, {
          status: answer.status,
        });
      }
      try {
        return JSON.parse(answer.body) as unknown;
      } catch (error) {
        throw new HttpError('DRAIN_HOOK_HTTP_STATUS', `GET ${url} answered 200 without JSON`, {
          status: answer.status,
          cause: error,
        });
      }
    },
    post: (url, target, floorMs) => call('POST', url, target, floorMs),
    close: () => dispatcher.destroy(),
  };
}

// --- internal ---

function _reason(error: unknown): string {
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  if (err.name === 'TimeoutError') return 'timed out';
  return err.cause?.code ?? err.code ?? err.message ?? String(error);
}
