import { ConfigError, readNonEmpty, readUrl, refusePlaceholder } from '@scrapegrid/program-kit';

/**
 * WORKER_GRID_URL, with WORKER_GRID_USERNAME and WORKER_GRID_PASSWORD (a Grid behind basic auth,
 * as the shared hub's router) put in as its user info, percent-encoded, so any password works
 * and a manifest can take both from a Secret with secretKeyRef instead of writing them in the URL.
 * Credentials need WORKER_GRID_URL without user info of its own, and both of them; a placeholder
 * password is refused. Undefined: no override, the spec's browser.gridUrl.
 */
export function readGridUrl(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const gridUrl = readUrl({ name: 'WORKER_GRID_URL', raw: env.WORKER_GRID_URL });
  const username = readNonEmpty(env.WORKER_GRID_USERNAME);
  const password = readNonEmpty(env.WORKER_GRID_PASSWORD);
  if (username === undefined && password === undefined) return gridUrl;
  if (username === undefined || password === undefined)
    throw new ConfigError('set both WORKER_GRID_USERNAME and WORKER_GRID_PASSWORD, or neither');
  if (gridUrl === undefined)
    throw new ConfigError(
      'WORKER_GRID_USERNAME and WORKER_GRID_PASSWORD need WORKER_GRID_URL (the Grid they log in to)',
    );
  refusePlaceholder('WORKER_GRID_PASSWORD', password);
  const url = new URL(gridUrl);
  if (url.username !== '' || url.password !== '')
    throw new ConfigError(
      'WORKER_GRID_URL holds credentials and WORKER_GRID_USERNAME/_PASSWORD are set: keep one',
    );
  // Encoded here: the setters leave `%` as it is, which the Grid client's decoding would misread.
  url.username = encodeURIComponent(username);
  url.password = encodeURIComponent(password);
  return gridUrl.endsWith('/') ? url.href : url.href.replace(/\/$/, '');
}
