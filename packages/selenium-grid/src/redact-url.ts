/**
 * The URL as it may be logged or put in a message: a password in it replaced by `***` (the user
 * name is kept, it says which account was used).
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not a URL, but it may still hold `user:password@`: hide everything before the `@`.
    return raw.replace(/\/\/[^/@]*@/, '//***@');
  }
  if (!url.password) return raw;
  url.password = '***';
  return raw.endsWith('/') ? url.href : url.href.replace(/\/$/, '');
}
