import { fileURLToPath } from 'node:url';
import { spawnTracked } from '@scrapegrid/test-support';
import { expect, test } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const SECRET = 's3cretPW';

// Issue 19: no secret in anything the reaper prints (stdout and stderr): a bad URL holding a
// password is named redacted, even when `new URL` cannot parse it; a password in a flag is refused.
test.each([
  [
    [],
    { SIDECAR_REAPER_DRAIN_GRID_URL: `http://user:${SECRET}@127.0.0.1:notaport/` },
    'SIDECAR_REAPER_DRAIN_GRID_URL must be an http or https URL, got "http://user:***@127.0.0.1:notaport/"',
  ],
  [
    [],
    { SIDECAR_REAPER_DRAIN_NODE_URL: `ftp://user:${SECRET}@127.0.0.1/` },
    'SIDECAR_REAPER_DRAIN_NODE_URL must be an http or https URL, got "ftp://user:***@127.0.0.1/"',
  ],
  [
    ['--wait-nodes-gone-hub-url', `http://user:${SECRET}@127.0.0.1:4444`],
    {},
    '--wait-nodes-gone-hub-url "http://user:***@127.0.0.1:4444" holds a password',
  ],
])('%j with %j: exit 2, the password in nothing it printed', async (args, env, said) => {
  const proc = spawnTracked('sidecar-reaper', process.execPath, [main, ...args, '--', 'true'], { env });
  expect(await proc.exited).toEqual({ code: 2, signal: null });
  expect(proc.output()).not.toContain(SECRET);
  expect(proc.output()).toContain(`sidecar-reaper: ${said}`);
});
