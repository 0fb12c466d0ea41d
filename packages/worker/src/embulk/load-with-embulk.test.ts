import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JobSpec } from '../spec/job-spec.ts';
import { parseJobSpec } from '../spec/parse-job-spec.ts';
import { loadWithEmbulk } from './load-with-embulk.ts';

// loadWithEmbulk with a stand-in for Embulk (a Node script given the generated config): which
// values are masked in its lines, where the config lives and that it is gone on every path. The
// real Embulk and PostgreSQL are in load-with-embulk.integration.test.ts.

const ENV = {
  SHOP_HOST: 'db.internal',
  SHOP_PORT: '5432',
  SHOP_USER: 'scrapegrid',
  SHOP_DATABASE: 'scrapegrid',
  SHOP_PASSWORD: 'pw-Secret-123',
};

/**
 * Prints one Embulk log line made of the config's values, the modes of the config and its
 * directory, then exits with argv[1] ('hang': waits to be stopped).
 */
const STAND_IN = `
const { readFileSync, statSync } = require('node:fs');
const { dirname } = require('node:path');
const [, how, , config] = process.argv;
const text = readFileSync(config, 'utf8');
const value = (key) => new RegExp('^\\\\s+' + key + ': (.*)$', 'm').exec(text)[1].split('"').join('');
console.log('2026-12-05 10:00:00.000 +0000 [INFO] (0001:transaction): Loading files [' + value('path_prefix') + 'part-00001.jsonl] into ' +
  value('host') + ':' + value('port') + '/' + value('database') + ' as "' + value('user') + '" with password ' + value('password'));
console.log('modes ' + (statSync(config).mode & 0o777).toString(8) + ' ' + (statSync(dirname(config)).mode & 0o777).toString(8) + ' ' + config);
if (how === 'hang') setInterval(() => {}, 1000); else process.exit(Number(how));
`;

let root: string;
let configDir: string;
let spec: JobSpec;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'load-with-embulk-'));
  configDir = join(root, 'config');
  await writeFile(join(root, 'placeholder'), '');
  spec = parseJobSpec(
    `version: 1
name: masks
start: { urls: ['http://127.0.0.1:8080/'] }
items: { selector: li, fields: { s: { css: .s } } }
output: { dir: ${root}/scrapegrid/out }
embulk:
  out:
    type: postgresql
    host: \${env:SHOP_HOST}
    port: \${env:SHOP_PORT}
    user: \${env:SHOP_USER}
    password: \${env:SHOP_PASSWORD}
    database: \${env:SHOP_DATABASE}
    table: products
`,
    { env: ENV },
  );
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function load(how: string, options: { signal?: AbortSignal; configDir?: string } = {}) {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(configDir, { recursive: true });
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const result = await loadWithEmbulk({
    spec,
    dataDir: `${root}/scrapegrid/out/data`,
    command: [process.execPath, '-e', STAND_IN, how],
    timeoutMs: 30_000,
    killGraceMs: 2_000,
    logger,
    env: ENV,
    configDir: options.configDir ?? configDir,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { result, lines, messages: lines.map((line) => String(line.msg)) };
}

describe('loadWithEmbulk', () => {
  test('the password is masked; host, port, user, database and path stay as they are', async () => {
    const { result, messages } = await load('0');
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(messages[0]).toBe(
      `Loading files [${root}/scrapegrid/out/data/part-00001.jsonl] into db.internal:5432/scrapegrid as "scrapegrid" with password [redacted]`,
    );
    expect(JSON.stringify(messages)).not.toContain('pw-Secret-123');
  });

  test('the config is written 0600 in a fresh 0700 directory under the config dir, and removed after the run', async () => {
    const { messages } = await load('0');
    const modes = messages.find((message) => message.startsWith('modes '))!;
    expect(modes).toMatch(new RegExp(`^modes 600 700 ${configDir}/scrapegrid-embulk-[^/]+/embulk\\.yml$`));
    expect(await readdir(configDir)).toEqual([]);
  });

  test('Embulk fails: the config is removed all the same', async () => {
    const { result } = await load('1');
    expect(result.exitCode).toBe(1);
    expect(await readdir(configDir)).toEqual([]);
  });

  test('stopped by the abort signal (SIGTERM to the worker): the config is removed', async () => {
    const controller = new AbortController();
    const pending = load('hang', { signal: controller.signal });
    // The stand-in is up once the config directory holds its file.
    const deadline = Date.now() + 20_000;
    while ((await readdir(configDir)).length === 0 && Date.now() < deadline) await sleep(20);
    expect((await readdir(configDir)).length).toBe(1);
    controller.abort(new Error('SIGTERM'));
    const { result } = await pending;
    expect(result).toMatchObject({ exitCode: null, aborted: true });
    expect(await readdir(configDir)).toEqual([]);
  });

  test('the worker exits at once while Embulk runs (second signal): the config goes with it', async () => {
    // A child Node process loads with the hanging stand-in and calls process.exit once the config is there.
    const script = `
import { readdirSync } from 'node:fs';
import { loadWithEmbulk } from ${JSON.stringify(new URL('./load-with-embulk.ts', import.meta.url).pathname)};
const [specJson, configDir, standIn] = process.argv.slice(2);
const spec = JSON.parse(specJson);
const quiet = { child: () => quiet, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
void loadWithEmbulk({ spec, dataDir: '/nowhere', command: [process.execPath, '-e', standIn, 'hang'], timeoutMs: 30000,
  killGraceMs: 1000, logger: quiet, env: {}, configDir });
const check = setInterval(() => { if (readdirSync(configDir).length > 0) { clearInterval(check); process.exit(3); } }, 10);
setTimeout(() => process.exit(4), 20000);
`;
    const scriptPath = join(root, 'forced-exit.mts');
    await writeFile(scriptPath, script);
    const child = spawnSync(process.execPath, [scriptPath, JSON.stringify(spec), configDir, STAND_IN], {
      cwd: new URL('../..', import.meta.url).pathname,
      timeout: 30_000,
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(3);
    expect(await readdir(configDir)).toEqual([]);
  });

  test('a config dir that cannot be written: a failed result naming it and the setting, nothing thrown', async () => {
    const { result } = await load('0', { configDir: join(root, 'placeholder') });
    expect(result).toEqual({
      exitCode: null,
      durationMs: 0,
      timedOut: false,
      errorLine: `cannot write the Embulk config under ${root}/placeholder (ENOTDIR); set WORKER_EMBULK_CONFIG_DIR to a writable memory-backed directory`,
    });
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
