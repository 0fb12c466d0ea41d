import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type EmbulkInstallation,
  installEmbulk,
  type Postgres,
  startPostgres,
  waitUntil,
} from '@scrapegrid/test-support';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRecordWriter } from '../output/record-writer.ts';
import type { Shard } from '../shard/read-shard.ts';
import { shardStartUrls } from '../shard/shard-start-urls.ts';
import type { JobSpec } from '../spec/job-spec.ts';
import { parseJobSpec } from '../spec/parse-job-spec.ts';
import { buildEmbulkConfig } from './embulk-config.ts';
import { runEmbulk } from './run-embulk.ts';

// Two shards of an Indexed Job load their JSON Lines into one table through the config the worker
// generates (pgcopy, mode replace_shard), with the real Embulk and a real PostgreSQL. Then a retry of
// shard 1 is killed (SIGKILL to Embulk's process group) inside its final transaction, after its
// DELETE and INSERT ran, and retried again: every record is in the table exactly once, and shard 0's
// rows are the very rows it wrote (same xmin: not rewritten).

const KEYS = Array.from({ length: 600 }, (_, k) => `http://shop.test/p/${k}`);
const SHARDS: readonly Shard[] = [
  { index: 0, count: 2 },
  { index: 1, count: 2 },
];
/** A record per start URL of the shard, the way a listing page gives one item. */
const recordsOf = (shard: Shard) =>
  shardStartUrls(KEYS, shard).map((key) => ({ key, n: Number(key.split('/').pop()) }));

let embulk: EmbulkInstallation;
let pg: Postgres;
let dir: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  [embulk, pg, dir] = await Promise.all([
    installEmbulk(),
    startPostgres(),
    mkdtemp(join(tmpdir(), 'load-shards-')),
  ]);
}, 15 * 60_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) kill(child);
  await pg?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Indexed Job shards load into PostgreSQL exactly once', { timeout: 10 * 60_000 }, () => {
  test('two shards load side by side; a retry killed mid-load and retried again leaves every record once', async () => {
    const first = await Promise.all(
      SHARDS.map((shard) => writeShard(`attempt-1-shard-${shard.index}`, shard)),
    );
    const loads = await Promise.all(first.map(({ configPath }) => load(configPath)));
    for (const { result, logs } of loads)
      expect(result, JSON.stringify(logs.slice(-5))).toMatchObject({ exitCode: 0, timedOut: false });
    // The parts are named after their shard.
    expect(await readdir(join(first[1]!.out, 'data'))).toEqual(['shard-00001-part-00001.jsonl']);
    await expectEveryRecordOnce();
    const shard0Rows = await rowVersions(0);

    // The Job's backoff retries shard 1 (a new pod, a new attempt); this attempt is killed with its
    // DELETE and INSERT done but not committed. Session A holds the table (the DELETE waits), session
    // B the staging table (the DROP at the end of the transaction waits).
    const retry = await writeShard('attempt-2-shard-1', SHARDS[1]!);
    const holdTable = await holdLock('LOCK TABLE products IN SHARE MODE');
    const killed = startEmbulk(retry.configPath);
    await waitForLockWait('products');
    const staging = (
      await pg.psql(`select tablename from pg_tables where tablename like 'products_pgcopy_s1_%'`)
    ).trim();
    expect(staging).toMatch(/^products_pgcopy_s1_[0-9a-f]{8}$/);
    // The COPY is done: mid-load, between the staged records and the move into the table.
    expect(await pg.psql(`select count(*) from "${staging}"`)).toBe('300\n');
    const holdStaging = await holdLock(`LOCK TABLE "${staging}" IN ACCESS SHARE MODE`);
    await holdTable.release();
    await waitForLockWait(staging);
    kill(killed.child);
    expect(await killed.exit).toBe('SIGKILL');
    await holdStaging.release();
    // PostgreSQL ends the dead client's transaction when it next reads from it: a rollback.
    await waitUntil(
      async () =>
        (await pg.psql(
          `select count(*) from pg_stat_activity where application_name = 'embulk-output-pgcopy'`,
        )) === '0\n',
      { timeoutMs: 60_000, intervalMs: 100, what: 'the killed load to leave PostgreSQL' },
    );
    await expectEveryRecordOnce();
    expect(await rowVersions(0)).toBe(shard0Rows);
    // What the kill left behind: the staging table, dropped by the next run of shard 1.
    expect(await pg.psql(`select count(*) from pg_tables where tablename like 'products_pgcopy_%'`)).toBe(
      '1\n',
    );

    // The next retry of shard 1 succeeds: its records once, shard 0 untouched, no staging table left.
    const last = await writeShard('attempt-3-shard-1', SHARDS[1]!);
    const { result, logs } = await load(last.configPath);
    expect(result, JSON.stringify(logs.slice(-5))).toMatchObject({ exitCode: 0 });
    await expectEveryRecordOnce();
    expect(await rowVersions(0)).toBe(shard0Rows);
    expect(logs.map((line) => line.msg)).toContain(
      `Dropping staging table ${staging} left by an earlier run of shard 1`,
    );
    expect(logs.map((line) => line.msg)).toContain('Replacing 300 row(s) of shard 1 in "public"."products"');
    expect(await pg.psql(`select count(*) from pg_tables where tablename like 'products_pgcopy_%'`)).toBe(
      '0\n',
    );
  });
});

// --- internal ---

function specFor(): JobSpec {
  return parseJobSpec(
    `version: 1
name: shards
start: { urls: ['http://shop.test/'] }
items:
  selector: li
  fields:
    key: { css: .key }
    n: { css: .n, type: integer }
output: { dir: ${dir} }
embulk:
  out:
    type: pgcopy
    host: 127.0.0.1
    port: ${pg.port}
    user: ${pg.user}
    password: '\${env:TEST_PG_PASSWORD}'
    database: ${pg.database}
    table: products
`,
    { env: { TEST_PG_PASSWORD: pg.password } },
  );
}

/** One attempt of one shard: its JSON Lines (shard-prefixed parts) and the Embulk config the worker writes. */
async function writeShard(name: string, shard: Shard) {
  const spec = specFor();
  const out = join(dir, name);
  const partPrefix = `shard-${String(shard.index).padStart(5, '0')}-`;
  const writer = await createRecordWriter({ dir: out, partMaxBytes: 1024 * 1024, spec, partPrefix });
  for (const record of recordsOf(shard)) await writer.write(record);
  await writer.finish({ status: 'succeeded', failures: [], pages: 1, startedAt: new Date() });
  const configPath = join(out, 'embulk.yml');
  await writeFile(configPath, buildEmbulkConfig(spec, join(out, 'data'), shard), { mode: 0o600 });
  return { out, configPath };
}

async function load(configPath: string) {
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const result = await runEmbulk({
    command: ['java', '-jar', embulk.jar],
    configPath,
    timeoutMs: 5 * 60_000,
    logger,
    env: { ...process.env, ...embulk.env },
    redact: [pg.password],
  });
  return { result, logs };
}

/** Embulk in its own process group, as the worker runs it, for the test to kill outright. */
function startEmbulk(configPath: string) {
  const child = spawn('java', ['-jar', embulk.jar, 'run', configPath], {
    env: { ...process.env, ...embulk.env, LANG: 'C.UTF-8' },
    detached: true,
    stdio: 'ignore',
  });
  children.push(child);
  const exit = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  return { child, exit };
}

function kill(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** A psql session holding a lock in an open transaction until release(). */
async function holdLock(statement: string) {
  const child = spawn(join(pg.binDir, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'], {
    env: { ...process.env, ...pg.env() },
    // Its own group, like Embulk's: afterAll kills either the same way.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdin.write(`BEGIN;\n${statement};\nSELECT 'locked';\n`);
  await waitUntil(() => output.includes('locked'), {
    timeoutMs: 30_000,
    intervalMs: 50,
    what: `psql to take: ${statement} (${output})`,
  });
  return {
    async release() {
      child.stdin.end('COMMIT;\n');
      expect(await exit, output).toBe(0);
    },
  };
}

/** Until the loading Embulk waits for a lock on the relation (the test's session holds it). */
async function waitForLockWait(relation: string): Promise<void> {
  await waitUntil(
    async () =>
      (await pg.psql(
        `select count(*) from pg_locks l join pg_class c on c.oid = l.relation join pg_stat_activity a on a.pid = l.pid
         where not l.granted and c.relname = '${relation}' and a.application_name = 'embulk-output-pgcopy'`,
      )) === '1\n',
    { timeoutMs: 3 * 60_000, intervalMs: 100, what: `Embulk to wait for ${relation}` },
  );
}

/** Exactly the 600 keys, each once, each in the shard the rule gives it. */
async function expectEveryRecordOnce(): Promise<void> {
  expect(await pg.psql('select count(*), count(distinct key), sum(n) from products')).toBe(
    '600|600|179700\n',
  );
  for (const shard of SHARDS) {
    const keys = (await pg.psql(`select key from products where scrape_shard = ${shard.index} order by n`))
      .trim()
      .split('\n');
    expect(keys).toEqual(recordsOf(shard).map((record) => record.key));
  }
}

/** Shard's rows with the transaction that wrote each: unchanged means not deleted and re-inserted. */
function rowVersions(shard: number): Promise<string> {
  return pg.psql(
    `select string_agg(key || '@' || xmin, ',' order by n) from products where scrape_shard = ${shard}`,
  );
}
