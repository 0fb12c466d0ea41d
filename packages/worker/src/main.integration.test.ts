import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSentinel } from '@scrapegrid/sentinel';
import {
  type EmbulkInstallation,
  type FixtureSite,
  freePort,
  type Grid,
  installEmbulk,
  type Postgres,
  spawnTracked,
  startFixtureSite,
  startGrid,
  startPostgres,
  type TrackedProcess,
  waitUntil,
} from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const PACKAGE_DIR = new URL('..', import.meta.url).pathname;
const MAIN = join(PACKAGE_DIR, 'src/main.ts');
/** Records the argv the worker hands to Embulk, then runs it: the test checks no secret is in it. */
const RECORD_ARGV = 'printf "%s\\n" "$@" > "$ARGV_FILE"; exec "$@"';

describe('the worker program, end to end, on a real Grid', () => {
  let grid: Grid;
  let site: FixtureSite;
  let root: string;
  let embulk: EmbulkInstallation;
  let pg: Postgres;

  beforeAll(async () => {
    [grid, site, root, embulk, pg] = await Promise.all([
      startGrid({ nodes: 1, node: { maxSessions: 2 } }),
      startFixtureSite({ products: 200, perPage: 10, renderDelayMs: 150 }),
      mkdtemp(join(tmpdir(), 'worker-main-')),
      installEmbulk(),
      startPostgres(),
    ]);
  }, 15 * 60_000);
  afterAll(async () => {
    await pg?.stop();
    await grid?.stop();
    await site?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('scrapes to JSON Lines, Embulk loads them into PostgreSQL, serves metrics, writes the sentinel, exits 0', async () => {
    const dir = join(root, 'ok');
    const metricsPort = await freePort();
    const worker = startWorker(await writeSpec(dir, site, { maxPages: 5, pg, table: 'ok' }), {
      WORKER_GRID_URL: grid.hubUrl,
      WORKER_METRICS_PORT: String(metricsPort),
      WORKER_TERMINATION_MESSAGE_PATH: join(dir, 'termination-log'),
      ...embulkEnv(pg.password),
    });
    const metrics = await waitUntil(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        return /^worker_pages_total [1-9]/m.test(text) && text;
      },
      { what: 'worker_pages_total above 0 on /metrics', timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(metrics).toContain('worker_page_duration_seconds_bucket');

    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const lines = logLines(worker);
    expect(await readSentinel(join(dir, 'done.json'))).toMatchObject({ status: 'succeeded', exitCode: 0 });
    const manifest = JSON.parse(await readFile(join(dir, 'out/manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ status: 'succeeded', records: 50 });
    // The summary a Job's pod shows as its termination message: the run's counts, one line.
    expect(await readFile(join(dir, 'termination-log'), 'utf8')).toBe(
      '{"job":"products","records":50,"pagesOk":5,"pagesFailed":0,"exitCode":0}',
    );
    // Every record of the JSON Lines is a row of the table, with the same values.
    const records = await jsonLines(join(dir, 'out/data'));
    const rows = JSON.parse(await pg.psql('select json_agg(r order by id) from ok r')) as Record<
      string,
      unknown
    >[];
    expect(rows).toHaveLength(50);
    expect(rows.map(({ addedAt, ...rest }) => ({ ...rest, addedAt: Date.parse(String(addedAt)) }))).toEqual(
      records
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map((r) => ({ ...r, tags: r.tags ?? null, addedAt: Date.parse(String(r.addedAt)) })),
    );
    // Embulk's own lines come through at their levels (pino: 30 info, 40 warn).
    const embulkLines = lines.filter((l) => l.component === 'embulk');
    expect(
      embulkLines.find((l) => /Embulk-Default-Guess-Plugins is not found/.test(String(l.msg)))?.level,
    ).toBe(40);
    expect(embulkLines.find((l) => l.msg === 'Committed.')?.level).toBe(30);
    expect(lines.some((l) => l.msg === 'progress')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ msg: 'worker done', exitCode: 0 });
  });

  test('Embulk fails (wrong password, database down, a column type conflict): exit 1, its Error: line last, no secret anywhere, the JSON stays; after the fix the rerun loads once', async () => {
    const down = await startPostgres();
    await down.stop();
    await pg.psql(
      'create table conflict (id bigint, name text, url text, price double precision, tags integer, "addedAt" timestamptz)',
    );
    const secret = 'the-wrong-s3cret';
    const cases = [
      {
        name: 'password',
        table: 'rerun',
        password: secret,
        port: pg.port,
        error:
          /password authentication failed for user "scrapegrid" \(SQLSTATE 28P01\); the JSON Lines stay in /,
      },
      {
        name: 'down',
        table: 'rerun',
        password: secret,
        port: down.port,
        error: new RegExp(
          `Connection to 127\\.0\\.0\\.1:${down.port} refused.*\\(SQLSTATE 08001\\); the JSON Lines stay in `,
        ),
      },
      {
        name: 'conflict',
        table: 'conflict',
        password: pg.password,
        port: pg.port,
        error: /column "tags" is of type integer but expression is of type jsonb; the JSON Lines stay in /,
      },
    ];
    for (const c of cases) {
      const dir = join(root, `embulk-fails-${c.name}`);
      const argvFile = join(root, `argv-${c.name}.txt`);
      const worker = startWorker(
        await writeSpec(dir, site, { maxPages: 1, pg: { ...pg, port: c.port }, table: c.table }),
        {
          WORKER_GRID_URL: grid.hubUrl,
          ...embulkEnv(c.password),
          WORKER_EMBULK_JAR: '',
          WORKER_EMBULK_COMMAND: `sh -c '${RECORD_ARGV}' record-argv java -jar ${embulk.jar}`,
          ARGV_FILE: argvFile,
        },
      );
      expect(await worker.exited, c.name).toEqual({ code: 1, signal: null });
      const lines = logLines(worker);
      const last = lines.at(-1)!;
      expect(last.level, c.name).toBe(50);
      expect(String(last.msg), c.name).toMatch(
        /^worker failed: embulk failed with exit code 1: Error: org\.scrapegrid\.embulk\.output\.pgcopy\.PgcopyException: /,
      );
      expect(String(last.msg), c.name).toMatch(c.error);
      const sentinel = await readSentinel(join(dir, 'done.json'));
      expect(sentinel, c.name).toMatchObject({ status: 'failed', exitCode: 1 });
      expect(sentinel?.reason, c.name).toMatch(c.error);
      expect(worker.output(), c.name).not.toContain(secret);
      const argv = (await readFile(argvFile, 'utf8')).trim().split('\n');
      // The config lives in a memory-backed directory for the run only (WORKER_EMBULK_CONFIG_DIR).
      expect(argv.slice(0, 4), c.name).toEqual(['java', '-jar', embulk.jar, 'run']);
      expect(argv[4], c.name).toMatch(/^\/dev\/shm\/scrapegrid-embulk-[^/]+\/embulk\.yml$/);
      await expect(readFile(argv[4]!), c.name).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await jsonLines(join(dir, 'out/data'))).length, c.name).toBe(10);
    }
    expect(await pg.psql("select to_regclass('public.rerun') is null, (select count(*) from conflict)")).toBe(
      't|0\n',
    );

    // The Secret is fixed and the Job runs again: the failed runs left nothing, so each record is loaded once.
    const dir = join(root, 'embulk-fixed');
    const rerun = startWorker(await writeSpec(dir, site, { maxPages: 1, pg, table: 'rerun' }), {
      WORKER_GRID_URL: grid.hubUrl,
      ...embulkEnv(pg.password),
    });
    expect(await rerun.exited).toEqual({ code: 0, signal: null });
    expect(await pg.psql('select count(*), count(distinct id) from rerun')).toBe('10|10\n');
  });

  test('SIGTERM mid-job: sessions closed, sentinel written, exit 1, the manifest says aborted, nothing partial in data/', async () => {
    const dir = join(root, 'sigterm');
    const worker = startWorker(
      await writeSpec(dir, site, { maxPages: 20, detail: true, pg, table: 'sigterm' }),
      {
        WORKER_GRID_URL: grid.hubUrl,
        ...embulkEnv(pg.password),
        WORKER_LOG_LEVEL: 'debug',
      },
    );
    await waitUntil(() => logLines(worker).filter((l) => l.msg === 'page done').length >= 20, {
      what: '20 pages read',
      timeoutMs: 60_000,
    });
    const signalledAt = Date.now();
    worker.child.kill('SIGTERM'); // as the kubelet does: to the main process only
    expect(await worker.exited).toEqual({ code: 1, signal: null });
    // Well inside the pod's grace period, and not by the worker's own 20 s backstop.
    expect(Date.now() - signalledAt).toBeLessThan(10_000);

    expect(await readSentinel(join(dir, 'done.json'))).toMatchObject({
      status: 'failed',
      exitCode: 1,
      reason: expect.stringContaining('terminated'),
    });
    const manifest = JSON.parse(await readFile(join(dir, 'out/manifest.json'), 'utf8'));
    expect(manifest.status).toBe('aborted');
    // Whatever reached data/ is whole: every line parses, the counts agree with the manifest.
    let records = 0;
    for (const file of await readdir(join(dir, 'out/data'))) {
      const text = await readFile(join(dir, 'out/data', file), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.trim().split('\n')) JSON.parse(line);
      records += text.trim().split('\n').length;
    }
    expect(records).toBe(manifest.files.reduce((n: number, f: { records: number }) => n + f.records, 0));
    expect(records).toBeLessThan(200);
    // Embulk never ran.
    expect(logLines(worker).some((l) => l.component === 'embulk')).toBe(false);
    expect(await pg.psql("select to_regclass('public.sigterm') is null")).toBe('t\n');
    // The browser sessions were closed, not left to time out on the Grid.
    await waitUntil(async () => (await grid.status()).nodes.every((n) => n.slots.every((s) => !s.session)), {
      what: 'every Grid slot free',
      timeoutMs: 15_000,
    });
  });

  test('validate: exit 0 for a good spec; 2 with every message for a broken one; run on a broken spec writes the sentinel', async () => {
    const dir = join(root, 'validate');
    const good = await writeSpec(dir, site, { maxPages: 1 });
    const ok = startWorker(['validate', good], {});
    expect(await ok.exited).toEqual({ code: 0, signal: null });

    const broken = join(dir, 'broken.yaml');
    await writeFile(
      broken,
      (await readFile(good, 'utf8'))
        .replace('type: integer', 'type: int')
        .replace('concurrency: 2', 'concurrency: 0'),
    );
    const bad = startWorker(['validate', broken], {});
    expect(await bad.exited).toEqual({ code: 2, signal: null });
    const messages = logLines(bad).map((l) => String(l.msg));
    expect(messages.some((m) => /^broken\.yaml:\d+: items\.fields\.id\.type: /.test(m))).toBe(true);
    expect(messages.some((m) => /^broken\.yaml:\d+: limits\.concurrency: /.test(m))).toBe(true);
    await expect(readFile(join(dir, 'done.json'))).rejects.toThrow(); // validate is not the job

    const run = startWorker(['run', broken], {});
    expect(await run.exited).toEqual({ code: 2, signal: null });
    expect(await readSentinel(join(dir, 'done.json'))).toMatchObject({ status: 'failed', exitCode: 2 });
  });

  test('bad configuration exits 2; a Grid that never gets ready exits 1; both write the sentinel', async () => {
    const dir = join(root, 'config');
    const spec = await writeSpec(dir, site, { maxPages: 1, readyTimeoutMs: 1500 });
    const badConfig = startWorker(['run', spec], { WORKER_METRICS_PORT: 'nine' });
    expect(await badConfig.exited).toEqual({ code: 2, signal: null });
    expect(
      logLines(badConfig).some((l) => /WORKER_METRICS_PORT must be an integer/.test(String(l.msg))),
    ).toBe(true);
    expect(await readSentinel(join(dir, 'done.json'))).toMatchObject({ exitCode: 2 });

    const noGrid = startWorker(['run', spec], { WORKER_GRID_URL: `http://127.0.0.1:${await freePort()}` });
    expect(await noGrid.exited).toEqual({ code: 1, signal: null });
    expect(String(logLines(noGrid).at(-1)?.msg)).toMatch(
      /worker failed: the Grid at .* was not ready after 1500 ms/,
    );
    expect(await readSentinel(join(dir, 'done.json'))).toMatchObject({ exitCode: 1 });

    // Credentials in the Grid URL (basic auth): accepted, and in no line the worker prints, nor
    // in the sentinel's reason.
    const withPassword = startWorker(['run', spec], {
      WORKER_GRID_URL: `http://scraper:pw-4f1c9@127.0.0.1:${await freePort()}`,
    });
    expect(await withPassword.exited).toEqual({ code: 1, signal: null });
    expect(String(logLines(withPassword).at(-1)?.msg)).toMatch(
      /worker failed: the Grid at http:\/\/127\.0\.0\.1:\d+ was not ready after 1500 ms/,
    );
    expect(logLines(withPassword).length).toBeGreaterThan(2);
    expect(withPassword.output()).not.toContain('pw-4f1c9');
    expect(JSON.stringify(await readSentinel(join(dir, 'done.json')))).not.toContain('pw-4f1c9');
  });

  // --- helpers ---

  function embulkEnv(password: string): Record<string, string> {
    return { WORKER_EMBULK_JAR: embulk.jar, ...embulk.env, TEST_DB_PASSWORD: password };
  }

  function startWorker(specOrArgs: string | string[], env: Record<string, string>): TrackedProcess {
    const args = Array.isArray(specOrArgs) ? specOrArgs : ['run', specOrArgs];
    const dir = join(args[1]!, '..');
    return spawnTracked('worker', process.execPath, [MAIN, ...args], {
      cwd: PACKAGE_DIR,
      // The spec names ${env:TEST_DB_PASSWORD}: it must be set for the spec to be valid at all.
      env: {
        WORKER_SENTINEL_PATH: join(dir, 'done.json'),
        WORKER_METRICS_PORT: '0',
        TEST_DB_PASSWORD: 'unused',
        ...env,
      },
    });
  }
});

async function writeSpec(
  dir: string,
  site: FixtureSite,
  options: {
    maxPages: number;
    detail?: boolean;
    readyTimeoutMs?: number;
    pg?: Pick<Postgres, 'port' | 'user' | 'database'>;
    table?: string;
  },
): Promise<string> {
  const path = join(dir, 'job.yaml');
  await rm(dir, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
  await writeFile(
    path,
    `version: 1
name: products
start: { urls: ['${site.url}/products?page=1'] }
wait: { for: 'body[data-ready=true]', timeoutMs: 15000 }
items:
  selector: li.product
  fields:
    id: { attribute: data-id, type: integer, required: true }
    name: { css: a.title, required: true }
    url: { css: a.title, attribute: href, type: url, required: true }
    price: { css: span.price, type: number }
    tags: { css: span.tag, all: true }
    addedAt: { css: time.added, attribute: datetime, type: timestamp }
pagination: { next: a.next, maxPages: ${options.maxPages} }
${
  options.detail
    ? `detail:
  urlField: url
  wait: { for: .description }
  fields:
    description: .description
    stock: { css: dd.stock, type: integer }`
    : ''
}
limits: { concurrency: 2, delayPerHostMs: 0, retries: 1, backoff: { initialMs: 200, maxMs: 1000 } }
browser: { gridUrl: http://127.0.0.1:1, readyTimeoutMs: ${options.readyTimeoutMs ?? 60000} }
output: { dir: ${join(dir, 'out')}, partMaxBytes: 2048 }
embulk:
  out:
    type: pgcopy
    host: 127.0.0.1
    port: ${options.pg?.port ?? 1}
    user: ${options.pg?.user ?? 'nobody'}
    password: '\${env:TEST_DB_PASSWORD}'
    database: ${options.pg?.database ?? 'none'}
    table: ${options.table ?? 'products'}
    mode: insert
`,
  );
  return path;
}

async function jsonLines(dataDir: string): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  for (const file of (await readdir(dataDir)).sort()) {
    for (const line of (await readFile(join(dataDir, file), 'utf8')).split('\n')) {
      if (line !== '') records.push(JSON.parse(line) as Record<string, unknown>);
    }
  }
  return records;
}

function logLines(worker: TrackedProcess): Record<string, unknown>[] {
  return worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
