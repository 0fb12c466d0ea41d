/**
 * The URL as it may be logged or put in any message: a password in it replaced by `***` (the user
 * name is kept, it says which account was used). Every program formats a URL through this, and
 * program-kit's readUrl does before it names a bad one, so no message carries a raw credential.
 * A string `new URL` cannot read (a bad port, a missing scheme) is redacted by a textual rule:
 * the user info is what stands before the last `@`, after the `//` when there is one.
 */
export function redactUrl(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  // Only a URL with an authority (a host) had its user info found by the parser: `user:pw@host`
  // parses too, as scheme `user:` and an opaque path, with the password in it.
  if (url === undefined || url.host === '') return _redactByText(raw);
  if (!url.password) return raw;
  url.password = '***';
  return raw.endsWith('/') ? url.href : url.href.replace(/\/$/, '');
}

// --- internal ---

function _redactByText(raw: string): string {
  const at = raw.lastIndexOf('@');
  if (at === -1) return raw;
  const slashes = raw.indexOf('//');
  const start = slashes !== -1 && slashes < at ? slashes + 2 : 0;
  const colon = raw.indexOf(':', start);
  // Without a `:` in it the user info is a user name only: nothing to hide.
  if (colon === -1 || colon > at) return raw;
  return `${raw.slice(0, colon + 1)}***${raw.slice(at)}`;
}
