import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTracked } from '@scrapegrid/test-support';
import { describe, expect, test } from 'vitest';
import { HELP_TEXT } from './config/worker-config.ts';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
// What the image runs (turbo builds it before the tests).
const bundle = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('worker (the bin, from source)', () => {
  test('--help prints the usage on stdout, exits 0 and writes no sentinel', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'worker-help-'));
    try {
      const proc = spawnTracked('worker', process.execPath, [main, '--help'], {
        env: { WORKER_SENTINEL_PATH: join(dir, 'done.json'), WORKER_METRICS_PORT: 'x' },
      });
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      expect(proc.output()).toBe(`${HELP_TEXT}\n`);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('help (the command) acts as --help: the usage on stdout, exit 0, no sentinel', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'worker-help-'));
    try {
      const proc = spawnTracked('worker', process.execPath, [main, 'help'], {
        env: { WORKER_SENTINEL_PATH: join(dir, 'done.json') },
      });
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      expect(proc.output()).toBe(`${HELP_TEXT}\n`);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the built bundle writes the sentinel on a failed run (write-file-atomic needs __filename, which the ESM bundle defines)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'worker-bundle-'));
    try {
      const proc = spawnTracked('worker', process.execPath, [bundle, 'run', join(dir, 'missing.yaml')], {
        env: { WORKER_SENTINEL_PATH: join(dir, 'shared', 'done.json') },
      });
      expect(await proc.exited).toEqual({ code: 2, signal: null });
      const sentinel = JSON.parse(await readFile(join(dir, 'shared', 'done.json'), 'utf8'));
      expect(sentinel).toMatchObject({ status: 'failed', exitCode: 2 });
      expect(await readdir(join(dir, 'shared'))).toEqual(['done.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('run writes its one-line summary to WORKER_TERMINATION_MESSAGE_PATH on exit (here: a shard whose spec is missing)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'worker-summary-'));
    try {
      const proc = spawnTracked('worker', process.execPath, [main, 'run', join(dir, 'missing.yaml')], {
        env: {
          WORKER_SENTINEL_PATH: join(dir, 'done.json'),
          WORKER_TERMINATION_MESSAGE_PATH: join(dir, 'termination-log'),
          JOB_COMPLETION_INDEX: '1',
          WORKER_SHARDS: '4',
        },
      });
      expect(await proc.exited).toEqual({ code: 2, signal: null });
      const summary = JSON.parse(await readFile(join(dir, 'termination-log'), 'utf8'));
      expect(summary).toEqual({
        shardIndex: 1,
        shardCount: 4,
        records: 0,
        pagesOk: 0,
        pagesFailed: 0,
        exitCode: 2,
        reason: expect.stringMatching(/^cannot read the job spec: ENOENT/),
      });
      expect((await readdir(dir)).sort()).toEqual(['done.json', 'termination-log']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('validate refuses a broken selector and a broken XPath with their field and line: exit 2, no sentinel', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'worker-validate-'));
    try {
      const spec = join(dir, 'shop.yaml');
      await writeFile(
        spec,
        [
          'version: 1',
          'name: shop',
          "start: { urls: ['http://127.0.0.1:1/products'] }",
          'items:',
          "  selector: 'li.product[data-x='",
          '  fields:',
          `    name: { xpath: "//div[@id='x'" }`,
          '',
        ].join('\n'),
      );
      const proc = spawnTracked('worker', process.execPath, [main, 'validate', spec], {
        env: { WORKER_SENTINEL_PATH: join(dir, 'done.json') },
      });
      expect(await proc.exited).toEqual({ code: 2, signal: null });
      const errors = proc
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; code?: string; msg: string })
        .filter((line) => line.code === 'SPEC_INVALID')
        .map((line) => line.msg);
      expect(errors).toEqual([
        'shop.yaml:5: items.selector: is not a valid CSS selector: unexpected end of input at character 18',
        'shop.yaml:7: items.fields.name.xpath: is not a valid XPath expression: it does not parse',
      ]);
      expect(await readdir(dir)).toEqual(['shop.yaml']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('validate on the bundled example without its DB_* variables names every one, each with its line: exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'worker-validate-'));
    try {
      const example = fileURLToPath(new URL('../examples/products.yaml', import.meta.url));
      const proc = spawnTracked('worker', process.execPath, [main, 'validate', example], {
        // Unset even if the shell running the tests has them (spawn drops undefined values).
        env: {
          WORKER_SENTINEL_PATH: join(dir, 'done.json'),
          DB_HOST: undefined,
          DB_PORT: undefined,
          DB_USER: undefined,
          DB_PASSWORD: undefined,
          DB_NAME: undefined,
        },
      });
      expect(await proc.exited).toEqual({ code: 2, signal: null });
      const errors = proc
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; code?: string; msg: string })
        .filter((line) => line.code === 'SPEC_INVALID')
        .map((line) => line.msg);
      expect(errors).toEqual(
        (
          [
            [65, 'host', 'DB_HOST'],
            [66, 'port', 'DB_PORT'],
            [67, 'user', 'DB_USER'],
            [68, 'password', 'DB_PASSWORD'],
            [69, 'database', 'DB_NAME'],
          ] as const
        ).map(
          ([line, key, name]) =>
            `products.yaml:${line}: embulk.out.${key}: environment variable ${name} is not set (referenced as \${env:${name}})`,
        ),
      );
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
