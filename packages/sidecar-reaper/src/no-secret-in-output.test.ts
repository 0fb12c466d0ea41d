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

// Issue 19 item 5: the Secret of k8s/ ships a `replace-me…` placeholder; deployed as it is, the
// reaper refuses it at start (exit 2), naming the variable and its Secret, never the value.
test('the shipped placeholder as SE_REGISTRATION_SECRET: exit 2, named, the value in nothing printed', async () => {
  const env = { SE_REGISTRATION_SECRET: 'replace-me-with-a-long-random-string' };
  const proc = spawnTracked('sidecar-reaper', process.execPath, [main, '--', 'true'], { env });
  expect(await proc.exited).toEqual({ code: 2, signal: null });
  expect(proc.output()).not.toContain('replace-me');
  expect(proc.output().trim()).toBe(
    'sidecar-reaper: SE_REGISTRATION_SECRET is still the shipped placeholder; set it in the Secret scrape-job-grid-registration (k8s/README.md, Security)',
  );
});
