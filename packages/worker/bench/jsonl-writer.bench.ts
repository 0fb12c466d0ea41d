/**
 * JSON Lines writer benchmark: records per second and peak memory (max RSS) writing N synthetic
 * product records (default 1,000,000), through the worker's record writer (schema checks,
 * timestamp normalisation, 64 MiB parts moved into data/, sha256, manifest) and through the
 * baseline: one fs.createWriteStream, JSON.stringify per record, honouring drain, no rotation.
 * Each variant runs in its own process (so peak memory is its own), `--runs` times (default 3);
 * the median is reported, and the ratio worker / baseline.
 *
 *   node bench/jsonl-writer.bench.ts [--records 1000000] [--runs 3]
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRecordWriter } from '../src/output/record-writer.ts';
import { parseJobSpec } from '../src/spec/parse-job-spec.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    variant: { type: 'string' },
    dir: { type: 'string' },
  },
});
const records = Number(values.records);

// --- internal ---

interface RunResult {
  variant: string;
  seconds: number;
  maxRssMiB: number;
  bytes: number;
}

const VARIANTS = ['worker', 'baseline'] as const;

async function compare(): Promise<void> {
  const runs = Number(values.runs);
  const self = fileURLToPath(import.meta.url);
  const results: Record<string, RunResult[]> = { worker: [], baseline: [] };
  console.log(
    `JSON Lines writer: ${records.toLocaleString('en')} records, ${runs} runs per variant (median)`,
  );
  for (let run = 0; run < runs; run++) {
    // Interleaved, so a machine that gets busier affects both variants alike.
    for (const variant of VARIANTS) {
      const dir = await mkdtemp(join(tmpdir(), `jsonl-bench-${variant}-`));
      try {
        const child = spawnSync(
          process.execPath,
          [self, '--variant', variant, '--dir', dir, '--records', String(records)],
          {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        if (child.status !== 0)
          throw new Error(`${variant} run failed with ${child.status}: ${child.stdout}`);
        results[variant]!.push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as RunResult);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
  const summary = VARIANTS.map((variant) => {
    const list = results[variant]!;
    const seconds = median(list.map((r) => r.seconds));
    return {
      variant,
      seconds,
      recordsPerSecond: Math.round(records / seconds),
      peakRssMiB: median(list.map((r) => r.maxRssMiB)),
      mib: list[0]!.bytes / 1024 / 1024,
    };
  });
  for (const s of summary) {
    console.log(
      `${s.variant.padEnd(9)} median ${s.seconds.toFixed(2)} s  ${s.recordsPerSecond.toLocaleString('en')} records/s  ` +
        `peak RSS ${s.peakRssMiB.toFixed(0)} MiB  (${s.mib.toFixed(0)} MiB written)`,
    );
  }
  const [worker, baseline] = summary;
  console.log(
    `ratio worker/baseline: time ${(worker!.seconds / baseline!.seconds).toFixed(2)}x, ` +
      `peak RSS ${(worker!.peakRssMiB / baseline!.peakRssMiB).toFixed(2)}x`,
  );
}

async function runOne(variant: string, dir: string): Promise<void> {
  const spec = parseJobSpec(BENCH_SPEC, { env: {} });
  const started = performance.now();
  let bytes = 0;
  if (variant === 'worker') {
    const writer = await createRecordWriter({ dir, partMaxBytes: spec.output.partMaxBytes, spec });
    for (let id = 1; id <= records; id++) await writer.write(record(id));
    const manifest = await writer.finish({
      status: 'succeeded',
      failures: [],
      pages: 0,
      startedAt: new Date(),
    });
    bytes = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
  } else {
    const stream = createWriteStream(join(dir, 'all.jsonl'));
    for (let id = 1; id <= records; id++) {
      const line = `${JSON.stringify(record(id))}\n`;
      bytes += Buffer.byteLength(line);
      if (!stream.write(line)) await once(stream, 'drain');
    }
    stream.end();
    await once(stream, 'close');
  }
  const seconds = (performance.now() - started) / 1000;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ variant, seconds, maxRssMiB, bytes } satisfies RunResult));
}

/** A record shaped like the fixture site's products, different for every id. */
function record(id: number): Record<string, unknown> {
  return {
    id,
    name: `Product ${id} ${COLOURS[id % 5]}`,
    url: `http://127.0.0.1:8080/product/${id}`,
    price: Math.round(((id * 7.31) % 500) * 100) / 100 + 1,
    tags: TAGS.filter((_, i) => (id + i) % 3 === 0),
    // As the scraper gives it (coerce-field-value.ts): an ISO 8601 UTC string.
    addedAt: new Date(Date.UTC(2026, 0, 1) + id * 60_000).toISOString(),
    description: `Description of product ${id}: «ünïcødé» & <markup>`,
    stock: (id * 13) % 40,
    available: id % 4 !== 0,
  };
}

const COLOURS = ['red', 'green', 'blue', 'black', 'white'];
const TAGS = ['sale', 'new', 'eco', 'bulk', 'gift'];

const BENCH_SPEC = `
version: 1
name: jsonl-bench
start: { urls: ['http://127.0.0.1:8080/products?page=1'] }
items:
  selector: li.product
  fields:
    id: { attribute: data-id, type: integer, required: true }
    name: a.title
    url: { css: a.title, attribute: href, type: url }
    price: { css: span.price, type: number }
    tags: { css: span.tag, all: true }
    addedAt: { css: time.added, attribute: datetime, type: timestamp }
    description: .description
    stock: { css: dd.stock, type: integer }
    available: { css: dd.available, type: boolean }
output: { partMaxBytes: 64MiB }
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// Last: the constants above must be initialised before either mode runs.
if (values.variant !== undefined) {
  await runOne(values.variant, values.dir!);
} else {
  await compare();
}
