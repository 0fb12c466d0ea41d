import { fileURLToPath } from 'node:url';
import { spawnTracked } from '@scrapegrid/test-support';
import { expect, test } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const SECRET = 's3cretPW';

// Issue 19: no secret in anything the exporter prints (stdout and stderr): a bad URL holding a
// password is named redacted, even when `new URL` cannot parse it; a secret flag is refused
// without repeating its value.
test.each([
  [
    ['once'],
    { GRID_EXPORTER_GRID_URL: `http://user:${SECRET}@127.0.0.1:notaport/` },
    'GRID_EXPORTER_GRID_URL must be an http or https URL, got "http://user:***@127.0.0.1:notaport/"',
  ],
  [
    ['once'],
    { GRID_EXPORTER_GRID_URL: `ftp://user:${SECRET}@127.0.0.1/` },
    'GRID_EXPORTER_GRID_URL must be an http or https URL, got "ftp://user:***@127.0.0.1/"',
  ],
  [
    ['once', '--grid-url', `http://user:${SECRET}@127.0.0.1:4444`],
    {},
    '--grid-url "http://user:***@127.0.0.1:4444" holds a password',
  ],
  [['once', '--password', SECRET], {}, '--password is not taken on the command line'],
  [['once', `--token=${SECRET}`], {}, '--token is not taken on the command line'],
])('%j with %j: exit 2, the password in nothing it printed', async (args, env, said) => {
  const proc = spawnTracked('grid-exporter', process.execPath, [main, ...args], {
    env: { GRID_EXPORTER_POOLS: '[]', ...env },
  });
  expect(await proc.exited).toEqual({ code: 2, signal: null });
  expect(proc.output()).not.toContain(SECRET);
  expect(proc.output()).toContain(`grid-exporter: ${said}`);
});

// Issue 19 item 5: the Secret of k8s/ ships a `replace-me…` placeholder; deployed as it is, the
// exporter refuses it at start (exit 2), naming the variable and its Secret, never the value.
const PLACEHOLDER = 'replace-me-with-a-long-random-string';
test.each([
  [
    { GRID_EXPORTER_USERNAME: 'scrapegrid', GRID_EXPORTER_PASSWORD: PLACEHOLDER },
    'GRID_EXPORTER_PASSWORD is still the shipped placeholder; set it in the Secret selenium-grid-router (its key SE_ROUTER_PASSWORD) (k8s/README.md, Security)',
  ],
  [
    { GRID_EXPORTER_TOKEN: PLACEHOLDER },
    'GRID_EXPORTER_TOKEN is still the shipped placeholder; set a real value (k8s/README.md, Security)',
  ],
  [
    { GRID_EXPORTER_GRID_URL: `http://scrapegrid:${PLACEHOLDER}@127.0.0.1:4444` },
    'the password in GRID_EXPORTER_GRID_URL is still the shipped placeholder; set a real value (k8s/README.md, Security)',
  ],
])('the shipped placeholder in %j: exit 2, named, the value in nothing printed', async (env, said) => {
  const proc = spawnTracked('grid-exporter', process.execPath, [main, 'once'], {
    env: { GRID_EXPORTER_GRID_URL: 'http://127.0.0.1:4444', GRID_EXPORTER_POOLS: '[]', ...env },
  });
  expect(await proc.exited).toEqual({ code: 2, signal: null });
  expect(proc.output()).not.toContain('replace-me');
  expect(proc.output().trim()).toBe(`grid-exporter: ${said}`);
});
