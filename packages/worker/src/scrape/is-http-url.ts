/** Only http and https URLs are ever fetched: no file:, javascript:, data: or chrome: pages. */
export function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
