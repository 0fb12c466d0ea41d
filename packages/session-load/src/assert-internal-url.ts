import { isIP } from 'node:net';
import { ConfigError } from '@scrapegrid/program-kit';

/**
 * A load generator aimed at the wrong host is a denial of service: it only ever talks to loopback,
 * private (RFC 1918, RFC 4193) addresses and cluster-internal names (a single label such as
 * `selenium-hub`, or one ending in `.svc`, `.cluster.local` or `.internal`). Throws ConfigError
 * for anything else; returns the parsed URL.
 */
export function assertInternalUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new ConfigError(`${what}: not a URL: ${JSON.stringify(raw)}`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${what}: ${url.protocol} is not http or https`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!_isInternal(host)) {
    throw new ConfigError(
      `${what}: ${host} is neither loopback, a private address nor a cluster-internal name; the load generator only loads those`,
    );
  }
  return url;
}

// --- internal ---

function _isInternal(host: string): boolean {
  const family = isIP(host);
  if (family === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (family === 6) return host === '::1' || /^f[cd][0-9a-f]{2}:/.test(host);
  return (
    host === 'localhost' ||
    !host.includes('.') ||
    host.endsWith('.svc') ||
    host.endsWith('.cluster.local') ||
    host.endsWith('.internal')
  );
}
