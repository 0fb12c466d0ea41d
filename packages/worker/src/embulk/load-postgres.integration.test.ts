import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type EmbulkInstallation,
  installEmbulk,
  type Postgres,
  startPostgres,
} from '@scrapegrid/test-support';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRecordWriter } from '../output/record-writer.ts';
import type { JobSpec } from '../spec/job-spec.ts';
import { parseJobSpec } from '../spec/parse-job-spec.ts';
import { buildEmbulkConfig } from './embulk-config.ts';
import { runEmbulk } from './run-embulk.ts';

// The real Embulk (scripts/install-embulk.sh) loading the worker's JSON Lines into a real PostgreSQL
// through the config the worker generates, run by the worker's own runEmbulk.

let embulk: EmbulkInstallation;
let pg: Postgres;
let dir: string;
beforeAll(async () => {
  [embulk, pg, dir] = await Promise.all([
    installEmbulk(),
    startPostgres(),
    mkdtemp(join(tmpdir(), 'load-pg-')),
  ]);
}, 15 * 60_000);
afterAll(async () => {
  await pg?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const FIELDS = `
    s: { css: .s }
    i: { css: .i, type: integer }
    n: { css: .n, type: number }
    b: { css: .b, type: boolean }
    t: { css: .t, type: timestamp }
    u: { css: .u, attribute: href, type: url }
    j: { css: .j, read: html, type: json }
    tags: { css: .tag, all: true }
    nums: { css: .num, type: integer, all: true }`;

const MIB = 1024 * 1024;
/** 1 MiB of text plus one two-byte character at the end, where a cut would show. */
const BIG = `${'x'.repeat(MIB - 1)}é`;
const RECORDS: Record<string, unknown>[] = [
  {
    s: 'plain',
    i: 1,
    n: 1.5,
    b: true,
    t: '2026-01-01T01:00:00.123+00:00',
    u: 'http://127.0.0.1:8080/p/1',
    j: { a: 1, nested: { list: [1, 'two', null, true] } },
    tags: ['x', 'y'],
    nums: [1, 2, 3],
  },
  {
    s: 'Ünïcødé «日本語» 🚀, "double" and \'single\' quotes,\ttab, back\\slash\nnew line\r\nand CRLF, \\N too',
    i: -9007199254740991,
    n: -0.1,
    b: false,
    // Written by a page in another zone: the worker stores the instant in UTC.
    t: new Date('2026-06-30T23:59:59.999-07:00'),
    u: 'https://example.com/a%20b?q=%C3%A9#frag',
    j: ['an', 'array', { 'key with "quotes"': 'value\nwith newline' }],
    tags: [],
    nums: [-1, 0, 9007199254740991],
  },
  // Every optional value missing: NULL in every column.
  {},
  {
    s: BIG,
    i: 0,
    n: 1e21,
    b: true,
    t: '1970-01-01T00:00:00.000+00:00',
    j: 'a json string',
  },
  { s: '', i: 42, n: 123456.789, j: null, tags: ['only'] },
];

function specFor(table: string, mode: 'insert' | 'replace', env: Record<string, string>): JobSpec {
  return parseJobSpec(
    `version: 1
name: load-test
start: { urls: ['http://127.0.0.1:8080/'] }
items:
  selector: li
  fields:${FIELDS}
output: { dir: ${dir} }
embulk:
  out:
    type: pgcopy
    host: 127.0.0.1
    port: ${pg.port}
    user: ${pg.user}
    password: '\${env:TEST_PG_PASSWORD}'
    database: ${pg.database}
    table: ${table}
    mode: ${mode}
`,
    { env },
  );
}

async function writeRecords(name: string, spec: JobSpec, records: readonly Record<string, unknown>[]) {
  const out = join(dir, name);
  const writer = await createRecordWriter({ dir: out, partMaxBytes: 256 * 1024, spec });
  for (const record of records) await writer.write(record);
  await writer.finish({ status: 'succeeded', failures: [], pages: 1, startedAt: new Date() });
  const configPath = join(out, 'embulk.yml');
  await writeFile(configPath, buildEmbulkConfig(spec, join(out, 'data')), { mode: 0o600 });
  return { out, configPath };
}

async function jsonLines(dataDir: string): Promise<Record<string, unknown>[]> {
  const files = (await readdir(dataDir)).sort();
  const lines: Record<string, unknown>[] = [];
  for (const file of files) {
    for (const line of (await readFile(join(dataDir, file), 'utf8')).split('\n')) {
      if (line !== '') lines.push(JSON.parse(line));
    }
  }
  return lines;
}

async function tableRows(table: string): Promise<Record<string, unknown>[]> {
  const text = await pg.psql(`select coalesce(json_agg(whole_row), '[]') from "${table}" whole_row`);
  return JSON.parse(text);
}

function load(configPath: string, password = pg.password) {
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const result = runEmbulk({
    command: ['java', '-jar', embulk.jar],
    configPath,
    timeoutMs: 5 * 60_000,
    logger,
    env: { ...process.env, ...embulk.env },
    redact: [password],
  });
  return { result, logs };
}

describe('the real Embulk loads the JSON Lines into PostgreSQL', { timeout: 5 * 60_000 }, () => {
  test('every field type lands in its column type with the value of the JSON Lines', async () => {
    const spec = specFor('typed', 'insert', { TEST_PG_PASSWORD: pg.password });
    const { out, configPath } = await writeRecords('typed', spec, RECORDS);
    const { result, logs } = load(configPath);
    expect(await result, JSON.stringify(logs.slice(-5))).toMatchObject({ exitCode: 0, timedOut: false });

    const columns = await pg.psql(
      "select column_name || ':' || data_type from information_schema.columns where table_name = 'typed' order by ordinal_position",
    );
    expect(columns.trim().split('\n')).toEqual([
      's:text',
      'i:bigint',
      'n:double precision',
      'b:boolean',
      't:timestamp with time zone',
      'u:text',
      'j:jsonb',
      'tags:jsonb',
      'nums:jsonb',
    ]);

    const lines = await jsonLines(join(out, 'data'));
    expect(lines).toHaveLength(RECORDS.length);
    const rows = await tableRows('typed');
    expect(rows).toHaveLength(lines.length);
    // Match rows to lines by their whole content: no key is unique across the cases.
    const remaining = [...rows];
    for (const line of lines) {
      const index = remaining.findIndex((row) => sameRecord(row, line));
      expect(index, `no row in the table for ${JSON.stringify(line).slice(0, 200)}`).toBeGreaterThanOrEqual(
        0,
      );
      remaining.splice(index, 1);
    }
    // The instant is kept, whatever zone the page wrote it in.
    const instant = await pg.psql(`select extract(epoch from t) from typed where i = -9007199254740991`);
    expect(Number(instant)).toBe(Date.parse('2026-06-30T23:59:59.999-07:00') / 1000);
    // The 1 MiB string arrives whole, byte for byte.
    expect(await pg.psql(`select octet_length(s), md5(s) from typed where i = 0`)).toBe(
      `${MIB + 1}|${await md5(BIG)}\n`,
    );
    // NULL, not an empty string or 'null', for every missing optional value.
    expect(
      await pg.psql(
        `select count(*) from typed where s is null and i is null and n is null and b is null and t is null and u is null and j is null and tags is null and nums is null`,
      ),
    ).toBe('1\n');
  });

  test('insert: a failed run leaves the table as it was, so the rerun after the fix loads every record exactly once', async () => {
    const records = Array.from({ length: 300 }, (_, k) => ({ s: `r${k}`, i: k, tags: [`t${k}`] }));
    // The Secret held a wrong password at first.
    const wrong = await writeRecords(
      'rerun-wrong',
      specFor('rerun', 'insert', { TEST_PG_PASSWORD: 'wrong-password-123' }),
      records,
    );
    const failed = load(wrong.configPath, 'wrong-password-123');
    const failure = await failed.result;
    expect(failure.exitCode).toBe(1);
    expect(failure.errorLine).toBe(
      `Error: org.scrapegrid.embulk.output.pgcopy.PgcopyException: FATAL: password authentication failed for user "${pg.user}" (SQLSTATE 28P01)`,
    );
    expect(JSON.stringify(failed.logs)).not.toContain('wrong-password-123');
    expect(await pg.psql(`select to_regclass('public.rerun') is null`)).toBe('t\n');

    // Fixed: the same records, the right password. Loaded once; no staging table is left.
    const fixed = await writeRecords(
      'rerun-fixed',
      specFor('rerun', 'insert', { TEST_PG_PASSWORD: pg.password }),
      records,
    );
    expect((await load(fixed.configPath).result).exitCode).toBe(0);
    expect(await pg.psql(`select count(*), count(distinct i), sum(i) from rerun`)).toBe('300|300|44850\n');
    expect(await pg.psql(`select count(*) from pg_tables where tablename like 'rerun_pgcopy_%'`)).toBe('0\n');

    // insert appends: running the same files again doubles them. replace does not.
    expect((await load(fixed.configPath).result).exitCode).toBe(0);
    expect(await pg.psql(`select count(*) from rerun`)).toBe('600\n');
    const replace = await writeRecords(
      'rerun-replace',
      specFor('rerun', 'replace', { TEST_PG_PASSWORD: pg.password }),
      records,
    );
    for (let run = 0; run < 2; run++) expect((await load(replace.configPath).result).exitCode).toBe(0);
    expect(await pg.psql(`select count(*), count(distinct i) from rerun`)).toBe('300|300\n');
  });

  test("a column type conflict fails the run with PostgreSQL's reason and changes nothing", async () => {
    await pg.psql(
      `create table conflict (s text, i bigint, n double precision, b boolean, t timestamptz, u text, j jsonb, tags integer, nums jsonb); insert into conflict (s) values ('kept')`,
    );
    const { configPath } = await writeRecords(
      'conflict',
      specFor('conflict', 'insert', { TEST_PG_PASSWORD: pg.password }),
      RECORDS,
    );
    const result = await load(configPath).result;
    expect(result.exitCode).toBe(1);
    // The driver's message spans lines (Hint:, Position:); the Error: line is its first.
    expect(result.errorLine).toBe(
      'Error: org.scrapegrid.embulk.output.pgcopy.PgcopyException: ERROR: column "tags" is of type integer but expression is of type jsonb',
    );
    expect(await pg.psql(`select string_agg(s, ',') from conflict`)).toBe('kept\n');
    expect(await pg.psql(`select count(*) from pg_tables where tablename like 'conflict_pgcopy_%'`)).toBe(
      '0\n',
    );
  });

  test("the database down: exit 1 with the driver's reason", async () => {
    const down = await startPostgres();
    await down.stop();
    const spec = specFor('down', 'insert', { TEST_PG_PASSWORD: pg.password });
    const { configPath } = await writeRecords('down', spec, RECORDS);
    const text = (await readFile(configPath, 'utf8')).replace(`port: ${pg.port}`, `port: ${down.port}`);
    await writeFile(configPath, text);
    const result = await load(configPath).result;
    expect(result.exitCode).toBe(1);
    expect(result.errorLine).toBe(
      `Error: org.scrapegrid.embulk.output.pgcopy.PgcopyException: Connection to 127.0.0.1:${down.port} refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections. (SQLSTATE 08001)`,
    );
  });

  test('a secret Embulk quotes in its error is redacted from every log line', async () => {
    const secret = 'not-a-port-s3cret';
    const spec = specFor('redact', 'insert', { TEST_PG_PASSWORD: secret });
    const { configPath } = await writeRecords('redact', spec, RECORDS.slice(0, 1));
    // Put the secret where Embulk's config mapper rejects it and quotes the value.
    await writeFile(
      configPath,
      (await readFile(configPath, 'utf8')).replace(`port: ${pg.port}`, `port: ${secret}`),
    );
    const { result, logs } = load(configPath, secret);
    const { exitCode, errorLine } = await result;
    expect(exitCode).toBe(1);
    expect(errorLine).toContain('[redacted]');
    expect(JSON.stringify(logs)).not.toContain(secret);
    expect(JSON.stringify(logs)).toContain('[redacted]');
  });
});

// --- internal ---

/** A row as psql's json_agg shows it equals a JSON Lines record: same keys, same values, same instant. */
function sameRecord(row: Record<string, unknown>, line: Record<string, unknown>): boolean {
  for (const [key, value] of Object.entries(row)) {
    const expected = line[key] ?? null;
    if (key === 't') {
      if ((value === null) !== (expected === null)) return false;
      if (value !== null && Date.parse(String(value)) !== Date.parse(String(expected))) return false;
    } else if (JSON.stringify(value) !== JSON.stringify(expected)) {
      return false;
    }
  }
  return Object.keys(row).length === 9;
}

async function md5(text: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('md5').update(text).digest('hex');
}
