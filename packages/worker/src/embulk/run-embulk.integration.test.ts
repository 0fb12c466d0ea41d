import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  currentRunId,
  type EmbulkInstallation,
  findLeftoverProcesses,
  installEmbulk,
  SPAWN_MARKER_ENV,
} from '@scrapegrid/test-support';
import { pino } from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createRecordWriter } from '../output/record-writer.ts';
import { parseJobSpec } from '../spec/parse-job-spec.ts';
import { buildEmbulkConfig } from './embulk-config.ts';
import { parseEmbulkLogLine, runEmbulk } from './run-embulk.ts';

// The real Embulk (scripts/install-embulk.sh), run the way the worker runs it: `java -jar <jar> run <config>`.
const EXAMPLE = fileURLToPath(new URL('../../examples/products.yaml', import.meta.url));
/** The one fault the real Embulk cannot be made to produce: a process that ignores SIGTERM. */
const IGNORES_SIGTERM = [
  process.execPath,
  fileURLToPath(new URL('../../test/embulk-ignoring-sigterm-stand-in.ts', import.meta.url)),
];

let embulk: EmbulkInstallation;
let command: string[];
let dir: string;
let logs: Record<string, unknown>[];
let logger: pino.Logger;
beforeAll(async () => {
  embulk = await installEmbulk();
  command = ['java', '-jar', embulk.jar];
}, 15 * 60_000);
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-embulk-'));
  logs = [];
  logger = pino({ level: 'trace' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each case starts a JVM (several seconds on a loaded machine).
describe('runEmbulk with the real Embulk', { timeout: 120_000 }, () => {
  test('the generated config reads every part; the CSV output (the no-database path) has every record', async () => {
    const spec = parseJobSpec((await readFile(EXAMPLE, 'utf8')).replaceAll('/tmp/scrapegrid/', `${dir}/`), {
      env: exampleEnv(),
    });
    const csvSpec = {
      ...spec,
      embulk: {
        out: {
          type: 'file',
          path_prefix: `${dir}/csv/products-`,
          file_ext: 'csv',
          formatter: { type: 'csv' },
        },
        extra: {},
      },
    };
    const writer = await createRecordWriter({ dir, partMaxBytes: 2048, spec: csvSpec });
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
    await writeFile(configPath, buildEmbulkConfig(csvSpec, join(dir, 'data')), { mode: 0o600 });
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'csv')));

    const result = await runEmbulk({ command, configPath, timeoutMs: 100_000, logger, env: env() });

    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.errorLine).toBeUndefined();
    const rows: string[] = [];
    for (const file of await readdir(join(dir, 'csv'))) {
      // Embulk's csv formatter ends its lines with CRLF unless told otherwise (newline: LF).
      const lines = (await readFile(join(dir, 'csv', file), 'utf8')).trimEnd().split('\r\n');
      expect(lines[0]).toBe('id,name,url,price,tags,addedAt,description,stock,available,rating,specs');
      rows.push(...lines.slice(1));
    }
    expect(rows).toHaveLength(60);
    expect(rows).toContain(
      '2,Product 2 «ünïcødé»,http://127.0.0.1:8080/product/2,2.5,"[""sale"",""new""]",2026-01-01 02:00:00.000000 +0000,Description 2,6,true,4.5,"{""weightGrams"":102,""colour"":""red""}"',
    );
    expect(messages('info')).toContain('Committed.');
  });

  test('a config Embulk rejects: exit 1 and its Error: line, for the worker to put in its last log line', async () => {
    const configPath = join(dir, 'bad.yml');
    await writeFile(
      configPath,
      `in: {type: file, path_prefix: ${dir}/data/, parser: {type: json, columns: [{name: a, type: integer}]}}\nout: {type: file, path_prefix: ${dir}/x-, file_ext: csv, formatter: {type: csv}}\n`,
    );
    const result = await runEmbulk({ command, configPath, timeoutMs: 100_000, logger, env: env() });
    expect(result).toMatchObject({ exitCode: 1, timedOut: false });
    expect(result.errorLine).toMatch(
      /^Error: org\.embulk\.config\.ConfigException: Failed to map Embulk's ConfigSource to org\.embulk\.parser\.json\.JsonParserPlugin\$PluginTask: .*Unknown type name 'integer'\. Supported types are: boolean, string, double, json, long, timestamp$/,
    );
    expect(messages('error')).toContain(result.errorLine);
    // Embulk prints the exception's stack trace on stderr before the Error: line: kept, at error.
    expect(messages('error')).toContain(
      "org.embulk.exec.PartialExecutionException: org.embulk.config.ConfigException: Failed to map Embulk's ConfigSource to org.embulk.parser.json.JsonParserPlugin$PluginTask: Cannot construct instance of `org.embulk.util.config.units.ColumnConfig`, problem: com.fasterxml.jackson.databind.JsonMappingException: Unknown type name 'integer'. Supported types are: boolean, string, double, json, long, timestamp",
    );
    expect(messages('error').some((m) => /^\tat org\.embulk\.exec\.BulkLoader/.test(String(m)))).toBe(true);
    expect(messages('warn').some((m) => /^\tat /.test(String(m)))).toBe(false);
  });

  test('an output plugin that is not installed: Embulk 0.11 carries none built in, not even stdout', async () => {
    const configPath = join(dir, 'stdout.yml');
    await writeFile(
      configPath,
      `in: {type: file, path_prefix: ${dir}/data/, parser: {type: json}}\nout: {type: stdout}\n`,
    );
    const result = await runEmbulk({ command, configPath, timeoutMs: 100_000, logger, env: env() });
    expect(result).toMatchObject({ exitCode: 1, errorLine: "Error: OutputPlugin 'stdout' is not found." });
  });

  test("each of Embulk's log lines goes into the worker log at its own level, with its thread", async () => {
    const configPath = join(dir, 'stdout.yml');
    await writeFile(
      configPath,
      `in: {type: file, path_prefix: ${dir}/data/, parser: {type: json}}\nout: {type: stdout}\n`,
    );
    await runEmbulk({ command, configPath, timeoutMs: 100_000, logger, env: env() });
    const embulkLines = logs.filter((entry) => entry.component === 'embulk');
    expect(
      embulkLines.find((l) => l.msg === 'Embulk-Default-Guess-Plugins is not found in the JAR Manifest.'),
    ).toMatchObject({
      level: 40,
      embulkLevel: 'WARN',
      thread: 'main',
    });
    expect(embulkLines.find((l) => l.msg === 'Started Embulk v0.11.4')).toMatchObject({
      level: 30,
      thread: 'main',
    });
    expect(
      embulkLines.find((l) => l.msg === 'Loaded plugin embulk-input-file (maven:org.embulk:file:0.11.1)'),
    ).toMatchObject({ level: 30, thread: '0001:transaction' });
  });

  test('a run past its timeout is stopped, and nothing it started is left', async () => {
    const marker = randomUUID();
    const result = await runEmbulk({
      command,
      configPath: await validConfig(),
      // Far less than the JVM needs to start Embulk.
      timeoutMs: 300,
      logger,
      env: env(marker),
    });
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    expect(messages('error')).toContain('embulk timed out; stopping it');
    expect(await findLeftoverProcesses(marker)).toEqual([]);
  });

  test('a process that ignores SIGTERM (stand-in: the real Embulk does not) is killed after the grace period', async () => {
    const marker = randomUUID();
    const result = await runEmbulk({
      command: IGNORES_SIGTERM,
      configPath: await validConfig(),
      // Long enough for Node to start the stand-in and install its handler on a busy machine.
      timeoutMs: 5_000,
      killGraceMs: 1_000,
      logger,
      env: env(marker),
    });
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    expect(messages('warn')).toContain('SIGTERM received; ignoring it (stand-in)');
    expect(await findLeftoverProcesses(marker)).toEqual([]);
  });

  test('aborting (the worker got SIGTERM) stops the run', async () => {
    const marker = randomUUID();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await runEmbulk({
      command,
      configPath: await validConfig(),
      timeoutMs: 100_000,
      logger,
      env: env(marker),
      signal: controller.signal,
    });
    expect(result).toMatchObject({ exitCode: null, timedOut: false, aborted: true });
    expect(await findLeftoverProcesses(marker)).toEqual([]);
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
    [
      '2024-09-01 12:00:00.000 +0000 [TRACE] (main): t',
      { level: 'trace', embulkLevel: 'TRACE', thread: 'main', message: 't' },
    ],
    [
      '2024-09-01 12:00:00.000 +0000 [DEBUG] (main): d',
      { level: 'debug', embulkLevel: 'DEBUG', thread: 'main', message: 'd' },
    ],
    ['\tat org.embulk.exec.BulkLoader.run(BulkLoader.java:1)', undefined],
    ['Error: org.embulk.config.ConfigException: x', undefined],
  ])('%s', (line, expected) => {
    expect(parseEmbulkLogLine(line)).toEqual(expected);
  });
});

// --- internal ---

/** The child's env: Embulk's home, and the spawn marker that finds anything left behind. */
function env(marker = currentRunId()): NodeJS.ProcessEnv {
  return { ...process.env, ...embulk.env, [SPAWN_MARKER_ENV]: marker };
}

function exampleEnv(): Record<string, string> {
  return { DB_HOST: '127.0.0.1', DB_PORT: '5432', DB_USER: 'u', DB_PASSWORD: 'p', DB_NAME: 'd' };
}

async function validConfig(): Promise<string> {
  const path = join(dir, 'embulk.yml');
  await writeFile(
    path,
    `in: {type: file, path_prefix: ${dir}/data/, parser: {type: json}}\nout: {type: file, path_prefix: ${dir}/x-, file_ext: csv, formatter: {type: csv}}\n`,
  );
  return path;
}

function messages(level: 'info' | 'warn' | 'error'): unknown[] {
  const number = { info: 30, warn: 40, error: 50 }[level];
  return logs.filter((entry) => entry.level === number).map((entry) => entry.msg);
}
