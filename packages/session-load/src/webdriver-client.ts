import { splitUrlCredentials } from '@scrapegrid/selenium-grid';
import { Agent, request } from 'undici';
import { WebDriverError } from './webdriver-error.ts';

export interface WebDriverClientOptions {
  /**
   * The hub (or router) URL, e.g. http://127.0.0.1:4444; credentials in it
   * (`http://user:password@host:4444`) are sent as the router's basic auth.
   */
  readonly hubUrl: string;
  /**
   * Deadline of POST /session. The hub holds a new-session request in its queue up to its
   * session-request-timeout (300 s by default) before it answers; ours must outlast it so that the
   * hub's own `New session request timed out` is what we see. Default 330 s.
   */
  readonly newSessionTimeoutMs?: number;
  /** Deadline of every other command (default 60 s). */
  readonly commandTimeoutMs?: number;
}

export interface NewSession {
  readonly sessionId: string;
  readonly capabilities: Record<string, unknown>;
}

/** The few W3C WebDriver endpoints a load session uses, over one undici Agent. */
export interface WebDriverClient {
  newSession(capabilities: Record<string, unknown>, signal?: AbortSignal): Promise<NewSession>;
  navigate(sessionId: string, url: string, signal?: AbortSignal): Promise<void>;
  title(sessionId: string, signal?: AbortSignal): Promise<string>;
  /** Finds the first element for a CSS selector and returns its visible text. */
  elementText(sessionId: string, css: string, signal?: AbortSignal): Promise<string>;
  deleteSession(sessionId: string, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_NEW_SESSION_TIMEOUT_MS = 330_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;

export function createWebDriverClient(options: WebDriverClientOptions): WebDriverClient {
  // undici sends no credentials from a URL: selenium-grid's one policy for them takes them out,
  // and they go into the Authorization header, as Selenium's clients send them to a router.
  const { url: base, auth: basic } = splitUrlCredentials(options.hubUrl, 'the hub URL');
  const auth: Record<string, string> = basic
    ? { authorization: `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}` }
    : {};
  const newSessionTimeoutMs = options.newSessionTimeoutMs ?? DEFAULT_NEW_SESSION_TIMEOUT_MS;
  const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  // undici's own header and body timeouts (300 s by default) would cut a queued new-session
  // request at the very moment the hub is about to answer it: they are set past every deadline,
  // and each call carries its own deadline as an AbortSignal.
  const longest = Math.max(newSessionTimeoutMs, commandTimeoutMs) + 10_000;
  const dispatcher = new Agent({
    connect: { timeout: 10_000 },
    headersTimeout: longest,
    bodyTimeout: longest,
  });

  const hub: HubConnection = { base, auth, dispatcher };
  const call = (
    method: Method,
    path: string,
    body: unknown,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<unknown> => _call(hub, method, path, body, timeoutMs, signal);

  const session = (id: string) => `/session/${encodeURIComponent(id)}`;

  return {
    async newSession(capabilities, signal) {
      // What Selenium's Python and Java clients send by default: everything in alwaysMatch, one
      // empty firstMatch entry.
      const value = (await call(
        'POST',
        '/session',
        { capabilities: { alwaysMatch: capabilities, firstMatch: [{}] } },
        newSessionTimeoutMs,
        signal,
      )) as { sessionId?: unknown; capabilities?: unknown } | null;
      if (typeof value?.sessionId !== 'string') {
        throw new WebDriverError(
          'WEBDRIVER_INVALID_RESPONSE',
          'POST /session answered 200 without a sessionId',
        );
      }
      return {
        sessionId: value.sessionId,
        capabilities: (value.capabilities ?? {}) as Record<string, unknown>,
      };
    },
    async navigate(id, url, signal) {
      await call('POST', `${session(id)}/url`, { url }, commandTimeoutMs, signal);
    },
    async title(id, signal) {
      return String(await call('GET', `${session(id)}/title`, undefined, commandTimeoutMs, signal));
    },
    async elementText(id, css, signal) {
      const found = (await call(
        'POST',
        `${session(id)}/element`,
        { using: 'css selector', value: css },
        commandTimeoutMs,
        signal,
      )) as Record<string, unknown> | null;
      const elementId = found?.[W3C_ELEMENT_KEY];
      if (typeof elementId !== 'string') {
        throw new WebDriverError(
          'WEBDRIVER_INVALID_RESPONSE',
          `POST ${session(id)}/element answered without an element: ${JSON.stringify(found).slice(0, 200)}`,
        );
      }
      const path = `${session(id)}/element/${encodeURIComponent(elementId)}/text`;
      return String(await call('GET', path, undefined, commandTimeoutMs, signal));
    },
    async deleteSession(id, signal) {
      await call('DELETE', session(id), undefined, commandTimeoutMs, signal);
    },
    close: () => dispatcher.close(),
  };
}

// --- internal ---

type Method = 'GET' | 'POST' | 'DELETE';

interface HubConnection {
  /** The hub URL without credentials or trailing slash. */
  readonly base: string;
  /** The Authorization header, when the hub URL carried credentials. */
  readonly auth: Record<string, string>;
  readonly dispatcher: Agent;
}

/** One W3C command: its deadline, the transport's failures and the answer, as WebDriverErrors. */
async function _call(
  hub: HubConnection,
  method: Method,
  path: string,
  body: unknown,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  const what = `${method} ${path}`;
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const response = await request(`${hub.base}${path}`, {
      method,
      headers:
        body === undefined ? hub.auth : { ...hub.auth, 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: hub.dispatcher,
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
    });
    return _value(what, response.statusCode, await response.body.text());
  } catch (error) {
    if (error instanceof WebDriverError) throw error;
    if (signal?.aborted) throw signal.reason;
    if (deadline.aborted) {
      throw new WebDriverError('WEBDRIVER_TIMEOUT', `${what}: no answer within ${timeoutMs} ms`, {
        cause: error,
      });
    }
    const code = (error as { code?: string }).code ?? (error as Error).message;
    throw new WebDriverError('WEBDRIVER_UNREACHABLE', `${what}: no answer (${code})`, { cause: error });
  }
}

/** The W3C answer's `value`, or the WebDriverError it stands for. */
function _value(what: string, status: number, text: string): unknown {
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch (error) {
    throw new WebDriverError('WEBDRIVER_INVALID_RESPONSE', `${what} answered ${status} without JSON`, {
      cause: error,
      status,
    });
  }
  if (status !== 200) {
    const { error, message } = (value ?? {}) as { error?: unknown; message?: unknown };
    throw new WebDriverError(
      'WEBDRIVER_ERROR',
      `${what} answered ${status}: ${String(error)}: ${String(message)}`,
      {
        status,
        ...(typeof error === 'string' ? { w3cError: error } : {}),
      },
    );
  }
  return value;
}

const W3C_ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';
