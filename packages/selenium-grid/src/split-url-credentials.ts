import { GridError } from './grid-error.ts';
import type { GridAuth } from './grid-options.ts';

/**
 * The one policy for credentials in a Grid URL (http://user:password@hub:4444, a common way to
 * reach a Grid behind basic auth): they are accepted as basic auth and taken out of the URL, so
 * the URL that is kept, logged and put in messages never holds them. Returns the base URL without
 * credentials or trailing slashes. GridError GRID_BAD_URL when it is not an http(s) URL, with a
 * message that starts with `setting` (the flag or variable to fix), so callers need not reword it.
 * The message never repeats the URL, which may hold a password: a program names a bad URL through
 * program-kit's readUrl and redactUrl before it gets here.
 */
export function splitUrlCredentials(
  raw: string,
  setting = 'the Grid URL',
): {
  readonly url: string;
  readonly auth: Extract<GridAuth, { kind: 'basic' }> | undefined;
} {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new GridError('GRID_BAD_URL', `${setting}: not a URL (expected e.g. http://selenium-hub:4444)`, {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GridError('GRID_BAD_URL', `${setting}: only http and https URLs work, got ${url.protocol}`);
  }
  const auth =
    url.username || url.password
      ? Object.freeze({
          kind: 'basic' as const,
          username: decodeURIComponent(url.username),
          password: decodeURIComponent(url.password),
        })
      : undefined;
  url.username = '';
  url.password = '';
  return { url: url.href.replace(/\/+$/, ''), auth };
}
