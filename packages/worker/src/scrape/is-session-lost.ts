import { error as webdriverErrors } from 'selenium-webdriver';

/**
 * True when an error means the browser session is gone (its node was killed, the browser crashed,
 * the Grid dropped it), so the session must be replaced before the page is retried; false for an
 * error of the page itself (a missing element, a script error, a page-load timeout).
 */
export function isSessionLost(error: unknown): boolean {
  if (error instanceof webdriverErrors.NoSuchSessionError) return true;
  if (error instanceof webdriverErrors.SessionNotCreatedError) return true;
  const text = _describe(error);
  return LOST_SESSION_PATTERNS.some((pattern) => pattern.test(text));
}

// --- internal ---

// What the Grid and ChromeDriver say when the session's browser or node is gone, as seen through
// the hub: the node is unreachable (killed), or the browser behind ChromeDriver died.
const LOST_SESSION_PATTERNS = [
  /invalid session id/i,
  /session (?:deleted|not found|timed out|.*does not exist)/i,
  /ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|connection refused/i,
  /Unable to execute request for an existing session/i,
  /chrome not reachable|disconnected: not connected to DevTools|target (?:window|frame) (?:already )?closed/i,
  /tab crashed|session not created/i,
];

function _describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause === undefined ? '' : ` ${_describe(error.cause)}`;
  return `${error.name} ${error.message}${cause}`;
}
