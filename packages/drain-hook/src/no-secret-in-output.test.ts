import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTracked } from '@scrapegrid/test-support';
import { expect, test } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const SECRET = 's3cretPW';

// Issue 19: a bad URL holding a password is named redacted in everything the program prints or
// writes (here its output and its log mirror), even when `new URL` cannot parse it.
test.each([
  [
    [],
    'DRAIN_HOOK_GRID_URL',
    `http://user:${SECRET}@127.0.0.1:notaport/`,
    'must be an http or https URL, got "http://user:***@127.0.0.1:notaport/"',
  ],
  [
    [],
    'DRAIN_HOOK_NODE_URL',
    `ftp://user:${SECRET}@127.0.0.1/`,
    'must be an http or https URL, got "ftp://user:***@127.0.0.1/"',
  ],
  [
    [],
    'SE_NODE_GRID_URL',
    `user:${SECRET}@hub:4444`,
    'must be an http or https URL, got "user:***@hub:4444"',
  ],
  [
    ['--grid-url', `http://user:${SECRET}@127.0.0.1:4444/`],
    '--grid-url',
    '',
    '"http://user:***@127.0.0.1:4444/" holds a password',
  ],
])('%j %s=%s: exit 2, the password in nothing it printed or wrote', async (args, name, url, said) => {
  const dir = await mkdtemp(join(tmpdir(), 'drain-hook-secret-'));
  try {
    const mirror = join(dir, 'mirror.log');
    const env = { DRAIN_HOOK_LOG_MIRROR: mirror, ...(url ? { [name]: url } : {}) };
    const proc = spawnTracked('drain-hook', process.execPath, [main, ...args], { env });
    expect(await proc.exited).toEqual({ code: 2, signal: null });
    const written = await Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f), 'utf8')));
    const everything = [proc.output(), ...written].join('\n');
    expect(everything).not.toContain(SECRET);
    expect(proc.output()).toContain(`drain-hook: ${name} ${said}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// Issue 19 item 5: the Secrets of k8s/ ship `replace-me…` placeholders; deployed as they are, the
// hook refuses them at start (exit 2), naming the variable and its Secret, never the value.
const PLACEHOLDER = 'replace-me-with-a-long-random-string';
test.each([
  [
    { SE_ROUTER_USERNAME: 'scrapegrid', SE_ROUTER_PASSWORD: PLACEHOLDER },
    'SE_ROUTER_PASSWORD is still the shipped placeholder; set it in the Secret selenium-grid-router (k8s/README.md, Security)',
  ],
  [
    { SE_REGISTRATION_SECRET: PLACEHOLDER },
    'SE_REGISTRATION_SECRET is still the shipped placeholder; set it in the Secret selenium-grid-registration (k8s/README.md, Security)',
  ],
  [
    { DRAIN_HOOK_GRID_URL: `http://scrapegrid:${PLACEHOLDER}@127.0.0.1:4444` },
    'the password in DRAIN_HOOK_GRID_URL is still the shipped placeholder; set a real value (k8s/README.md, Security)',
  ],
])(
  'the shipped placeholder in %o: exit 2, named, the value in nothing printed or written',
  async (given, said) => {
    const dir = await mkdtemp(join(tmpdir(), 'drain-hook-placeholder-'));
    try {
      const env = { DRAIN_HOOK_LOG_MIRROR: join(dir, 'mirror.log'), ...given };
      const proc = spawnTracked('drain-hook', process.execPath, [main], { env });
      expect(await proc.exited).toEqual({ code: 2, signal: null });
      const written = await Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f), 'utf8')));
      expect([proc.output(), ...written].join('\n')).not.toContain('replace-me');
      expect(proc.output().trim()).toBe(`drain-hook: ${said}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
