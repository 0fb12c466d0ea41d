import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTracked } from '@scrapegrid/test-support';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

/**
 * The stand-in is only worth testing against if it refuses what real Embulk refuses: these cases
 * check that it does, per the json parser and file input facts in shared/docs/embulk-and-sidecars.md.
 */
const STAND_IN = fileURLToPath(new URL('./embulk-stand-in.ts', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embulk-stand-in-'));
  await mkdir(join(dir, 'data', 'nested'), { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the Embulk stand-in', { timeout: 30_000 }, () => {
  test('reads every file under a directory prefix as JSON Lines: missing keys are null, extra keys dropped', async () => {
    await writeFile(join(dir, 'data', 'part-00001.jsonl'), '{"id":1,"name":"a","extra":true}\n{"id":2}\n');
    await writeFile(join(dir, 'data', 'nested', 'part-00002.jsonl'), '{"id":"3","name":"c"}\n');
    await writeFile(join(dir, 'manifest.json'), '{"not":"data"}\n');
    const run = await standIn(config('[{name: id, type: long}, {name: name, type: string}]'));
    expect(run.code).toBe(0);
    // Files are tasks: their order in the output is not the order of their names.
    expect((run.rows as { id: number }[]).sort((a, b) => a.id - b.id)).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: null },
      { id: 3, name: 'c' },
    ]);
    expect(run.output).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \+0000 \[INFO\] \(main\): Committed\.$/m,
    );
    expect(run.output).toMatch(/\[INFO\] \(main\): Next config diff: /);
  });

  test('a prefix without a trailing slash matches file names that start with it', async () => {
    await writeFile(join(dir, 'data', 'part-1.jsonl'), '{"id":1}\n');
    await writeFile(join(dir, 'data', 'other.jsonl'), '{"id":2}\n');
    const run = await standIn(
      config('[{name: id, type: long}]').replace(`${dir}/data/`, `${dir}/data/part-`),
    );
    expect(run.rows).toEqual([{ id: 1 }]);
  });

  test.each([
    [
      'an unknown parser option',
      config('[]').replace('type: json', 'type: json, charset: UTF-8'),
      "in.parser: unknown option 'charset'",
    ],
    [
      'an unknown column type',
      config('[{name: id, type: integer}]'),
      'in.parser.columns[0].type: unknown type integer',
    ],
    [
      'a format on a non-timestamp column',
      config("[{name: id, type: long, format: '%Y'}]"),
      'in.parser.columns[0].format: only for timestamp columns',
    ],
    [
      'a bad invalid_string_escapes',
      config('[]').replace('type: json', 'type: json, invalid_string_escapes: IGNORE'),
      'in.parser.invalid_string_escapes: must be PASSTHROUGH, SKIP or UNESCAPE, not IGNORE',
    ],
    [
      'an out without type',
      config('[]').replace('out: {type: stdout}', 'out: {table: x}'),
      "out: 'type' is required",
    ],
    ['an unknown top-level section', `${config('[]')}filter: []\n`, "the config: unknown option 'filter'"],
  ])('refuses %s with exit 1 and an Error: line', async (_, yaml, reason) => {
    const run = await standIn(yaml);
    expect(run.code).toBe(1);
    expect(run.output).toContain(`Error: org.embulk.config.ConfigException: ${reason}`);
  });

  test('a non-integer in a long column fails the whole run, whatever stop_on_invalid_record says', async () => {
    await writeFile(join(dir, 'data', 'part-00001.jsonl'), '{"id":1}\n{"id":1.5}\n');
    const run = await standIn(
      config('[{name: id, type: long}]').replace(
        'stop_on_invalid_record: true',
        'stop_on_invalid_record: false',
      ),
    );
    expect(run.code).toBe(1);
    expect(run.output).toMatch(
      /Error: .*DataException: Invalid record at .*part-00001.jsonl:2: column id \(long\): 1.5/,
    );
  });

  test('a line that is not JSON fails the run under stop_on_invalid_record, and is skipped without it', async () => {
    await writeFile(join(dir, 'data', 'part-00001.jsonl'), '{"id":1}\n{"id":\n{"id":3}\n');
    const strict = await standIn(config('[{name: id, type: long}]'));
    expect(strict.code).toBe(1);
    expect(strict.output).toMatch(/Error: .*Invalid record at .*part-00001.jsonl:2/);
    const lenient = await standIn(
      config('[{name: id, type: long}]').replace(
        'stop_on_invalid_record: true',
        'stop_on_invalid_record: false',
      ),
    );
    expect(lenient.code).toBe(0);
    expect(lenient.rows).toEqual([{ id: 1 }, { id: 3 }]);
  });

  test('a timestamp that does not match its format is an invalid record', async () => {
    await writeFile(
      join(dir, 'data', 'part-00001.jsonl'),
      '{"at":"2026-01-01T00:00:00.000+00:00"}\n{"at":"01/01/2026"}\n',
    );
    const run = await standIn(config("[{name: at, type: timestamp, format: '%Y-%m-%dT%H:%M:%S.%N%z'}]"));
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/Invalid record at .*:2: column at \(timestamp\): "01\/01\/2026"/);
  });

  test('a command line other than `run <config>` exits 255, like Embulk', async () => {
    const child = spawnTracked('embulk-stand-in', process.execPath, [STAND_IN, 'guess', 'x.yml']);
    expect(await child.exited).toEqual({ code: 255, signal: null });
    await child.stop();
  });
});

// --- internal ---

function config(columns: string): string {
  return `in:
  type: file
  path_prefix: ${dir}/data/
  parser: {type: json, stop_on_invalid_record: true, default_timezone: UTC, columns: ${columns}}
out: {type: stdout}
`;
}

async function standIn(yaml: string): Promise<{ code: number | null; output: string; rows: unknown[] }> {
  const configPath = join(dir, 'embulk.yml');
  const rowsPath = join(dir, 'rows.jsonl');
  await writeFile(configPath, yaml);
  await rm(rowsPath, { force: true });
  const child = spawnTracked('embulk-stand-in', process.execPath, [STAND_IN, 'run', configPath], {
    env: { EMBULK_STAND_IN_ROWS_PATH: rowsPath },
  });
  const { code } = await child.exited;
  await child.stop();
  const rows = await readFile(rowsPath, 'utf8').then(
    (text) =>
      text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line)),
    () => [],
  );
  return { code, output: child.output(), rows };
}
