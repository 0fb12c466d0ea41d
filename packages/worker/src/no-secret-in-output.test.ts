import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTracked } from '@scrapegrid/test-support';
import { expect, test } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const SECRET = 's3cretPW';

// Issue 19: `WORKER_GRID_URL='http://user:s3cretPW@127.0.0.1:notaport/' worker run job.yaml`
// printed the password in its error line and wrote it into the sentinel. Everything the worker
// prints (stdout, stderr) and writes (the sentinel's directory) is searched for it.
test.each([
  [`http://user:${SECRET}@127.0.0.1:notaport/`, 'http://user:***@127.0.0.1:notaport/'],
  [`ftp://user:${SECRET}@127.0.0.1/`, 'ftp://user:***@127.0.0.1/'],
])('WORKER_GRID_URL=%s: exit 2, named %s, the password in nothing printed or written', async (url, shown) => {
  const dir = await mkdtemp(join(tmpdir(), 'worker-secret-'));
  try {
    const sentinelPath = join(dir, 'shared', 'done.json');
    const proc = spawnTracked('worker', process.execPath, [main, 'run', join(dir, 'job.yaml')], {
      env: { WORKER_GRID_URL: url, WORKER_SENTINEL_PATH: sentinelPath },
    });
    expect(await proc.exited).toEqual({ code: 2, signal: null });
    expect(await readdir(join(dir, 'shared'))).toEqual(['done.json']);
    const sentinel = await readFile(sentinelPath, 'utf8');
    expect(proc.output()).not.toContain(SECRET);
    expect(sentinel).not.toContain(SECRET);
    const said = `WORKER_GRID_URL must be an http or https URL, got "${shown}"`;
    expect(JSON.parse(sentinel)).toMatchObject({ exitCode: 2, reason: `configuration invalid: ${said}` });
    expect(proc.output()).toContain(JSON.stringify(said).slice(1, -1));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// Issue 19 item 5: the Secret of k8s/ ships `replace-me…` placeholders. A spec value read from one
// (`${env:NAME}` in Embulk's settings, here) is refused by `validate` and by `run` before a page is
// opened; so is a Grid URL whose password is one. Exit 2, the variable named, the value nowhere.
const PLACEHOLDER = 'replace-me-with-a-long-random-string';
const WHY = 'is still the shipped placeholder';
test.each([
  [
    ['validate'],
    { DB_PASSWORD: PLACEHOLDER },
    `job.yaml:10: embulk.out.password: DB_PASSWORD ${WHY}; set it in the Secret scrape-job-credentials (k8s/README.md, Security)`,
  ],
  [
    ['run'],
    { DB_PASSWORD: PLACEHOLDER },
    `job.yaml:10: embulk.out.password: DB_PASSWORD ${WHY}; set it in the Secret scrape-job-credentials (k8s/README.md, Security)`,
  ],
  [
    ['run'],
    { DB_PASSWORD: 's3cr3t-value', WORKER_GRID_URL: `http://scrapegrid:${PLACEHOLDER}@127.0.0.1:4444` },
    `the password in WORKER_GRID_URL ${WHY}; set a real value (k8s/README.md, Security)`,
  ],
])(
  'worker %j with %j: exit 2, named, the placeholder in nothing printed or written',
  async ([command], given, said) => {
    const dir = await mkdtemp(join(tmpdir(), 'worker-placeholder-'));
    try {
      const spec = join(dir, 'job.yaml');
      await writeFile(
        spec,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's own ${env:NAME} syntax
        'version: 1\nname: t\nstart:\n  urls: [http://127.0.0.1:9/]\nitems:\n  selector: li\n  fields:\n    id: { attribute: data-id }\nembulk:\n  out: { type: postgresql, password: "${env:DB_PASSWORD}" }\n',
      );
      const sentinelPath = join(dir, 'shared', 'done.json');
      const proc = spawnTracked('worker', process.execPath, [main, command as string, spec], {
        env: { WORKER_SENTINEL_PATH: sentinelPath, WORKER_LOG_FORMAT: 'json', ...given },
      });
      expect(await proc.exited).toEqual({ code: 2, signal: null });
      const written = command === 'run' ? [await readFile(sentinelPath, 'utf8')] : [];
      expect([proc.output(), ...written].join('\n')).not.toContain('replace-me');
      const messages = proc
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line).msg);
      expect(messages).toContain(said);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
