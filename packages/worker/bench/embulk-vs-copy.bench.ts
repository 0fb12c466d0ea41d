/**
 * Loading benchmark: records per second from the worker's JSON Lines into PostgreSQL through the
 * worker's Embulk run (the real Embulk, the config the worker generates, runEmbulk, the pgcopy
 * output in insert mode), against the floor: `psql \copy` of the same records (exported from the
 * loaded table as CSV, outside the timing) into a table of the same shape. Prints both, the
 * ratio, and the JVM's peak RSS: Embulk runs with -XX:MaxRAM=2g, so its heap is sized as in the
 * worker container under the Job's 2 GiB memory limit (k8s/), where the JVM sizes itself the same way.
 *
 *   node bench/embulk-vs-copy.bench.ts [--records 1000000]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { installEmbulk, startPostgres } from '@scrapegrid/test-support';
import { pino } from 'pino';
import { buildEmbulkConfig } from '../src/embulk/embulk-config.ts';
import { runEmbulk } from '../src/embulk/run-embulk.ts';
import { createRecordWriter } from '../src/output/record-writer.ts';
import { parseJobSpec } from '../src/spec/parse-job-spec.ts';

const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' } } });
const records = Number(values.records);
const say = (line: string) => console.log(`bench: ${line}`);

const [embulk, pg, dir] = await Promise.all([
  installEmbulk(),
  startPostgres(),
  mkdtemp(join(tmpdir(), 'embulk-bench-')),
]);
try {
  const spec = parseJobSpec(
    `version: 1
name: bench
start: { urls: ['http://127.0.0.1/'] }
items:
  selector: li
  fields:
    id: { attribute: data-id, type: integer, required: true }
    name: a.title
    url: { css: a, attribute: href, type: url }
    price: { css: .price, type: number }
    tags: { css: .tag, all: true }
    addedAt: { css: time, attribute: datetime, type: timestamp }
    available: { css: .available, type: boolean }
    specs: { css: script, read: html, type: json }
output: { dir: ${dir} }
embulk:
  out: { type: pgcopy, host: 127.0.0.1, port: ${pg.port}, user: ${pg.user}, password: '\${env:BENCH_PG_PASSWORD}', database: ${pg.database}, table: via_embulk, mode: insert }
`,
    { env: { BENCH_PG_PASSWORD: pg.password } },
  );
  const writer = await createRecordWriter({ dir, partMaxBytes: 64 * 1024 * 1024, spec });
  const base = Date.UTC(2026, 0, 1);
  for (let id = 1; id <= records; id++) {
    await writer.write({
      id,
      name: `Product ${id} «ünïcødé»`,
      url: `http://127.0.0.1:8080/product/${id}`,
      price: id / 100,
      tags: id % 3 === 0 ? ['sale', 'new'] : ['new'],
      addedAt: new Date(base + id * 1000),
      available: id % 2 === 0,
      specs: { weightGrams: id % 1000, colour: 'red' },
    });
  }
  const manifest = await writer.finish({
    status: 'succeeded',
    failures: [],
    pages: 1,
    startedAt: new Date(),
  });
  const bytes = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
  say(`${records} records in ${manifest.files.length} JSON Lines parts, ${(bytes / 2 ** 20).toFixed(0)} MiB`);

  const configPath = join(dir, 'embulk.yml');
  await writeFile(configPath, buildEmbulkConfig(spec, join(dir, 'data')), { mode: 0o600 });
  let maxRssKiB = 0;
  const logger = pino(
    { level: 'info' },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { msg?: string };
        const match = /^maxrss_kib=(\d+)$/.exec(entry.msg ?? '');
        if (match) maxRssKiB = Number(match[1]);
      },
    },
  );
  const embulkStarted = performance.now();
  const result = await runEmbulk({
    command: ['/usr/bin/time', '-f', 'maxrss_kib=%M', 'java', '-XX:MaxRAM=2g', '-jar', embulk.jar],
    configPath,
    timeoutMs: 60 * 60_000,
    logger,
    env: { ...process.env, ...embulk.env },
    redact: [pg.password],
  });
  const embulkSeconds = (performance.now() - embulkStarted) / 1000;
  if (result.exitCode !== 0) throw new Error(`Embulk failed: ${result.errorLine}`);
  const loaded = Number((await pg.psql('select count(*) from via_embulk')).trim());
  if (loaded !== records) throw new Error(`Embulk loaded ${loaded} rows, not ${records}`);

  const csv = join(dir, 'records.csv');
  await pg.psql(`\\copy (select * from via_embulk) to '${csv}' csv`);
  await pg.psql('create table via_copy (like via_embulk)');
  const copyStarted = performance.now();
  await promisify(execFile)(
    join(pg.binDir, 'psql'),
    ['-X', '-q', '-c', `\\copy via_copy from '${csv}' csv`],
    {
      env: { ...process.env, ...pg.env() },
      timeout: 60 * 60_000,
    },
  );
  const copySeconds = (performance.now() - copyStarted) / 1000;
  const copied = Number((await pg.psql('select count(*) from via_copy')).trim());
  if (copied !== records) throw new Error(`\\copy loaded ${copied} rows, not ${records}`);

  const embulkRate = records / embulkSeconds;
  const copyRate = records / copySeconds;
  say(
    `Embulk (java -jar, pgcopy insert): ${embulkSeconds.toFixed(1)} s, ${Math.round(embulkRate)} records/s, JVM peak RSS ${(maxRssKiB / 1024).toFixed(0)} MiB (limit 2048 MiB)`,
  );
  say(`psql \\copy (the floor):            ${copySeconds.toFixed(1)} s, ${Math.round(copyRate)} records/s`);
  say(
    `ratio Embulk / \\copy: ${(embulkSeconds / copySeconds).toFixed(2)}× the time (${((embulkRate / copyRate) * 100).toFixed(0)}% of the floor's rate)`,
  );
} finally {
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
}
