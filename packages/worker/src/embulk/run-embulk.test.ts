import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentRunId, findLeftoverProcesses, SPAWN_MARKER_ENV } from '@scrapegrid/test-support';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createRecordWriter } from '../output/record-writer.ts';
import { parseJobSpec } from '../spec/parse-job-spec.ts';
import { buildEmbulkConfig } from './embulk-config.ts';
import { parseEmbulkLogLine, runEmbulk } from './run-embulk.ts';

/** The Embulk test double, run the way the worker runs the real jar: `<command> run <config>`. */
const STAND_IN = [process.execPath, fileURLToPath(new URL('../../test/embulk-stand-in.ts', import.meta.url))];
const EXAMPLE = fileURLToPath(new URL('../../examples/products.yaml', import.meta.url));

let dir: string;
let logs: Record<string, unknown>[];
let logger: pino.Logger;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-embulk-'));
  logs = [];
  logger = pino({ level: 'trace' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each case starts a Node process (about a second on a loaded machine): more room than the 5 s default.
describe('runEmbulk with the Embulk stand-in', { timeout: 30_000 }, () => {
  test('the generated config is accepted and every record is read back with its type', async () => {
    const spec = parseJobSpec(await readFile(EXAMPLE, 'utf8'), { env: {} });
    const writer = await createRecordWriter({ dir, partMaxBytes: 2048, spec });
    for (let id = 1; id <= 60; id++) {
      await writer.write({
        id,
        name: `Product ${id} «ünïcødé»`,
        url: `http://127.0.0.1:8080/product/${id}`,
        price: id + 0.5,
        tags: id % 2 === 0 ? ['sale', 'new'] : [],
        addedAt: new Date(Date.UTC(2026, 0, 1) + id * 3_600_000),
        description: `Description ${id}`,
        stock: id * 3,
        available: id % 4 !== 0,
        rating: 4.5,
        specs: { weightGrams: 100 + id, colour: 'red' },
      });
    }
    const manifest = await writer.finish({
      status: 'succeeded',
      failures: [],
      pages: 6,
      startedAt: new Date(),
    });
    expect(manifest.files.length).toBeGreaterThan(3);
    const configPath = join(dir, 'embulk.yml');
    await writeFile(configPath, buildEmbulkConfig(spec, join(dir, 'data')), { mode: 0o600 });
    const rowsPath = join(dir, 'rows.jsonl');

    const result = await runEmbulk({
      command: STAND_IN,
      configPath,
      timeoutMs: 30_000,
      logger,
      env: env({ EMBULK_STAND_IN_ROWS_PATH: rowsPath }),
    });

    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.errorLine).toBeUndefined();
    const rows = (await readFile(rowsPath, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows).toHaveLength(60);
    expect(rows.map((row) => row.id).sort((a, b) => a - b)).toEqual([...Array(60).keys()].map((i) => i + 1));
    expect(rows.find((row) => row.id === 2)).toEqual({
      id: 2,
      name: 'Product 2 «ünïcødé»',
      url: 'http://127.0.0.1:8080/product/2',
      price: 2.5,
      tags: ['sale', 'new'],
      addedAt: '2026-01-01T02:00:00.000Z',
      description: 'Description 2',
      stock: 6,
      available: true,
      rating: 4.5,
      specs: { weightGrams: 102, colour: 'red' },
    });
    expect(messages('info')).toContain('Committed.');
  });

  test('a failing run: exit 1 and its Error: line, for the worker to put in its last log line', async () => {
    const result = await runEmbulk({
      command: STAND_IN,
      configPath: await validConfig(),
      timeoutMs: 30_000,
      logger,
      env: env({ EMBULK_STAND_IN_MODE: 'fail' }),
    });
    expect(result).toMatchObject({ exitCode: 1, timedOut: false });
    expect(result.errorLine).toBe(
      'Error: org.embulk.exec.PartialExecutionException: java.lang.RuntimeException: stand-in told to fail',
    );
    expect(messages('error')).toContain(result.errorLine);
    // The stack trace under Embulk's ERROR line stays at error, not a stray warning.
    expect(messages('error')).toContain('\tat org.embulk.exec.BulkLoader.run(BulkLoader.java:1)');
    expect(messages('error')).toContain('Caused by: java.lang.RuntimeException: stand-in told to fail');
  });

  test('secrets are redacted from every Embulk line before it is logged or kept', async () => {
    const configPath = join(dir, 'embulk.yml');
    await writeFile(
      configPath,
      `in: {type: file, path_prefix: ${dir}/data/, parser: {type: json}}\nout: {type: postgresql, password: pa55-w0rd, url: 'jdbc:postgresql://db/x?password=pa55-w0rd'}\n`,
    );
    const result = await runEmbulk({
      command: STAND_IN,
      configPath,
      timeoutMs: 30_000,
      logger,
      env: env({ EMBULK_STAND_IN_MODE: 'fail-quoting-out' }),
      redact: ['pa55-w0rd'],
    });
    expect(result.exitCode).toBe(1);
    expect(result.errorLine).toBe(
      'Error: org.embulk.config.ConfigException: cannot connect with {"type":"postgresql","password":"[redacted]","url":"jdbc:postgresql://db/x?password=[redacted]"}',
    );
    expect(JSON.stringify(logs)).not.toContain('pa55-w0rd');
    expect(JSON.stringify(logs)).toContain('[redacted]');
  });

  test('a config Embulk rejects fails the run with the reason', async () => {
    const configPath = join(dir, 'bad.yml');
    await writeFile(
      configPath,
      'in: {type: file, path_prefix: /nowhere/, parser: {type: json, columns: [{name: a, type: integer}]}}\nout: {type: stdout}\n',
    );
    const result = await runEmbulk({ command: STAND_IN, configPath, timeoutMs: 30_000, logger, env: env() });
    expect(result.exitCode).toBe(1);
    expect(result.errorLine).toBe(
      'Error: org.embulk.config.ConfigException: in.parser.columns[0].type: unknown type integer',
    );
  });

  test('each Embulk log line goes into the worker log at its own level, with its thread', async () => {
    const result = await runEmbulk({
      command: STAND_IN,
      configPath: await validConfig(),
      timeoutMs: 30_000,
      logger,
      env: env({ EMBULK_STAND_IN_MODE: 'levels' }),
    });
    expect(result.exitCode).toBe(0);
    const embulk = logs.filter((entry) => entry.component === 'embulk');
    const byMessage = (msg: string) => embulk.find((entry) => entry.msg === msg);
    expect(byMessage('a trace line')).toMatchObject({ level: 10, thread: 'main', embulkLevel: 'TRACE' });
    expect(byMessage('a debug line')).toMatchObject({ level: 20, embulkLevel: 'DEBUG' });
    expect(byMessage('a warn line')).toMatchObject({ level: 40, thread: '0001:transaction' });
    expect(byMessage('an error line that is not fatal')).toMatchObject({ level: 50, embulkLevel: 'ERROR' });
    expect(byMessage('Committed.')).toMatchObject({ level: 30 });
  });

  test('a run past its timeout is stopped, and nothing it started is left', async () => {
    const marker = randomUUID();
    const started = Date.now();
    const result = await runEmbulk({
      command: STAND_IN,
      configPath: await validConfig(),
      timeoutMs: 1_500,
      logger,
      env: env({ EMBULK_STAND_IN_MODE: 'hang' }, marker),
    });
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(messages('error')).toContain('embulk timed out; stopping it');
    expect(await findLeftoverProcesses(marker)).toEqual([]);
  });

  test('an Embulk that ignores SIGTERM is killed after the grace period', async () => {
    const marker = randomUUID();
    const result = await runEmbulk({
      command: STAND_IN,
      configPath: await validConfig(),
      // Long enough for Node to start the stand-in and install its handler on a busy machine.
      timeoutMs: 5_000,
      killGraceMs: 1_000,
      logger,
      env: env({ EMBULK_STAND_IN_MODE: 'hang', EMBULK_STAND_IN_IGNORE_SIGTERM: '1' }, marker),
    });
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    expect(messages('warn')).toContain('SIGTERM received; ignoring it (stand-in told to)');
    expect(await findLeftoverProcesses(marker)).toEqual([]);
  });

  test('aborting (the worker got SIGTERM) stops the run', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1_000);
    const result = await runEmbulk({
      command: STAND_IN,
      configPath: await validConfig(),
      timeoutMs: 60_000,
      logger,
      env: env({ EMBULK_STAND_IN_MODE: 'hang' }),
      signal: controller.signal,
    });
    expect(result).toMatchObject({ exitCode: null, timedOut: false, aborted: true });
  });

  test('a command that does not exist is a result, not a crash', async () => {
    const result = await runEmbulk({
      command: ['/nonexistent/java', '-jar', 'embulk.jar'],
      configPath: '/x.yml',
      timeoutMs: 5_000,
      logger,
      env: env(),
    });
    expect(result).toMatchObject({ exitCode: null, timedOut: false });
    expect(result.errorLine).toBe('could not start /nonexistent/java: spawn /nonexistent/java ENOENT');
  });
});

describe('parseEmbulkLogLine', () => {
  test.each([
    [
      '2026-11-22 02:30:10.969 +0000 [INFO] (main): Committed.',
      { level: 'info', embulkLevel: 'INFO', thread: 'main', message: 'Committed.' },
    ],
    [
      '2024-09-01 12:00:00.000 +0900 [WARN] (0001:transaction): a: b',
      { level: 'warn', embulkLevel: 'WARN', thread: '0001:transaction', message: 'a: b' },
    ],
    [
      '2024-09-01 12:00:00.000 -0500 [ERROR] (0023:task-0001): failed',
      { level: 'error', embulkLevel: 'ERROR', thread: '0023:task-0001', message: 'failed' },
    ],
    ['\tat org.embulk.exec.BulkLoader.run(BulkLoader.java:1)', undefined],
    ['Error: org.embulk.config.ConfigException: x', undefined],
  ])('%s', (line, expected) => {
    expect(parseEmbulkLogLine(line)).toEqual(expected);
  });
});

// --- internal ---

/** The child's env: the spawn marker lets the suite's teardown (or the test) find anything left behind. */
function env(extra: Record<string, string> = {}, marker = currentRunId()): NodeJS.ProcessEnv {
  return { ...process.env, ...extra, [SPAWN_MARKER_ENV]: marker };
}

async function validConfig(): Promise<string> {
  const path = join(dir, 'embulk.yml');
  await writeFile(
    path,
    `in: {type: file, path_prefix: ${dir}/data/, parser: {type: json}}\nout: {type: stdout}\n`,
  );
  return path;
}

function messages(level: 'info' | 'warn' | 'error'): unknown[] {
  const number = { info: 30, warn: 40, error: 50 }[level];
  return logs.filter((entry) => entry.level === number).map((entry) => entry.msg);
}
