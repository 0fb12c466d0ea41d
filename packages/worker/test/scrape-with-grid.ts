import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { Manifest } from '../src/output/manifest.ts';
import { createRecordWriter } from '../src/output/record-writer.ts';
import { scrapeJob } from '../src/scrape/scrape-job.ts';
import { ScrapeStats } from '../src/scrape/scrape-stats.ts';
import type { JobSpec, ScrapedRecord } from '../src/spec/job-spec.ts';

/**
 * Runs scrapeJob with the real record writer on a real Grid, then reads back what a user gets:
 * the records in data/ and manifest.json. For the engine's integration tests.
 */
export async function scrapeWithGrid(
  spec: JobSpec,
  gridUrl: string,
  options: { env?: Record<string, string>; stats?: ScrapeStats; logger?: Logger } = {},
) {
  const stats = options.stats ?? new ScrapeStats();
  const writer = await createRecordWriter({ dir: spec.output.dir, partMaxBytes: 4096, spec });
  const result = await scrapeJob({
    spec,
    gridUrl,
    sink: writer,
    stats,
    logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    env: options.env ?? {},
    signal: new AbortController().signal,
  });
  await writer.finish({
    status: result.status,
    ...(result.reason === undefined ? {} : { reason: result.reason }),
    failures: result.failures,
    notes: result.notes,
    pages: result.pages,
    startedAt: new Date(),
  });
  const manifest = JSON.parse(await readFile(join(spec.output.dir, 'manifest.json'), 'utf8')) as Manifest;
  return { result, stats, manifest, records: await readRecords(join(spec.output.dir, 'data')) };
}

async function readRecords(dataDir: string): Promise<ScrapedRecord[]> {
  const records: ScrapedRecord[] = [];
  for (const file of (await readdir(dataDir)).sort()) {
    const text = await readFile(join(dataDir, file), 'utf8');
    for (const line of text.split('\n')) if (line) records.push(JSON.parse(line) as ScrapedRecord);
  }
  return records;
}
