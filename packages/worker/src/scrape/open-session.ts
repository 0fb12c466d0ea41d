import { redactUrl } from '@scrapegrid/program-kit';
import { Builder, type WebDriver } from 'selenium-webdriver';
import type { JobSpec } from '../spec/job-spec.ts';
import { SPEC_DEFAULTS } from '../spec/spec-defaults.ts';

export class SessionError extends Error {
  readonly code = 'SESSION_NOT_CREATED';
}

/**
 * Opens a browser session on the Grid with the spec's capabilities and sets its timeouts and window
 * size (browser.windowSize, or a desktop's 1920x1080). The Grid may queue a session request for
 * minutes; past `timeoutMs` this gives up, and a session that is granted after giving up is quit at
 * once so it does not hold a Grid slot.
 */
export async function openSession(
  gridUrl: string,
  spec: JobSpec,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<WebDriver> {
  const pending = (async () => {
    const driver = await new Builder()
      .usingServer(gridUrl)
      .withCapabilities(sessionCapabilities(spec.browser))
      .build();
    await driver
      .manage()
      .setTimeouts({ pageLoad: spec.limits.pageTimeoutMs, script: _scriptTimeoutMs(spec) });
    await driver
      .manage()
      .window()
      .setRect(spec.browser.windowSize ?? SPEC_DEFAULTS.windowSize);
    return driver;
  })();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SessionError(`no browser session within ${timeoutMs} ms`)),
      timeoutMs,
    );
    onAbort = () => reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    if (signal?.aborted) throw signal.reason;
    return await Promise.race([pending, timeout]);
  } catch (error) {
    pending.then((late) => late.quit()).catch(() => {});
    if (error instanceof SessionError || signal?.aborted) throw error;
    throw new SessionError(
      `could not open a browser session on ${redactUrl(gridUrl)}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * The spec's capabilities with its user agent put where the browser reads it: a command-line
 * switch for Chromium-based browsers, a preference for Firefox.
 */
export function sessionCapabilities(browser: JobSpec['browser']): Record<string, unknown> {
  const capabilities = structuredClone(browser.capabilities);
  if (browser.userAgent === undefined) return capabilities;
  const key = {
    chrome: 'goog:chromeOptions',
    MicrosoftEdge: 'ms:edgeOptions',
    firefox: 'moz:firefoxOptions',
  }[String(capabilities.browserName)];
  if (key === undefined) return capabilities;
  const options = (capabilities[key] ?? {}) as { args?: string[]; prefs?: Record<string, unknown> };
  capabilities[key] =
    key === 'moz:firefoxOptions'
      ? { ...options, prefs: { ...options.prefs, 'general.useragent.override': browser.userAgent } }
      : { ...options, args: [...(options.args ?? []), `--user-agent=${browser.userAgent}`] };
  return capabilities;
}

// --- internal ---

/** The page script waits inside the browser; WebDriver must allow the longest wait plus a margin. */
function _scriptTimeoutMs(spec: JobSpec): number {
  const waits = [spec.wait.timeoutMs, spec.detail?.wait.timeoutMs ?? 0, spec.login?.wait.timeoutMs ?? 0];
  for (const action of [...spec.actions, ...(spec.login?.actions ?? [])])
    if (action.kind === 'wait') waits.push(action.timeoutMs);
  return Math.max(...waits) + 10_000;
}
