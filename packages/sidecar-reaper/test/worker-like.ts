// A worker-like process for the real-Grid test: one WebDriver session through the hub (plain
// W3C WebDriver over HTTP), ended cleanly, then the sentinel, as the worker does when it is done.
// usage: node test/worker-like.ts <hubUrl> <sentinelPath>
import { makeSentinel, writeSentinel } from '@scrapegrid/sentinel';

const [hubUrl, sentinelPath] = process.argv.slice(2) as [string, string];
// The Grid rejects application/json without a charset (shared/docs/selenium-grid.md).
const headers = { 'content-type': 'application/json; charset=utf-8' };
const call = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${hubUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const json = (await response.json()) as { value: Record<string, unknown> };
  if (!response.ok)
    throw new Error(`${method} ${path}: HTTP ${response.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json.value;
};

const session = await call('POST', '/session', { capabilities: { alwaysMatch: { browserName: 'chrome' } } });
const id = session.sessionId as string;
await call('POST', `/session/${id}/url`, { url: 'data:text/html,<title>scraped</title><p>42</p>' });
const title = await call('GET', `/session/${id}/title`);
console.log(`session ${id} saw title ${JSON.stringify(title)}`);
await call('DELETE', `/session/${id}`);
await writeSentinel(sentinelPath, makeSentinel(0));
console.log('sentinel written');
