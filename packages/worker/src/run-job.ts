import { join } from 'node:path';
import { createGridClient, GridError, waitForGridReady } from '@scrapegrid/selenium-grid';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config/worker-config.ts';
import { loadWithEmbulk } from './embulk/load-with-embulk.ts';
import type { WorkerMetrics } from './metrics/worker-metrics.ts';
import { createRecordWriter } from './output/record-writer.ts';
import { reportProgress } from './progress/report-progress.ts';
import { scrapeJob } from './scrape/scrape-job.ts';
import type { ScrapeStats } from './scrape/scrape-stats.ts';
import type { JobSpec } from './spec/job-spec.ts';

export interface RunJobOptions {
  spec: JobSpec;
  config: Readonly<WorkerConfig>;
  logger: Logger;
  stats: ScrapeStats;
  metrics: WorkerMetrics;
  /** Values for the spec's fill actions. */
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGTERM: the job stops, exposes nothing partial, and reports failure. */
  signal: AbortSignal;
}

export interface JobResult {
  /** 0: scraped (and transferred, or transfer skipped); 1: the scrape or the transfer failed. */
  exitCode: 0 | 1;
  /** One line on why, when the job failed. */
  reason?: string;
}

/**
 * The whole job: wait for the Grid, scrape to JSON Lines, seal the files and the manifest, then
 * hand the data directory to Embulk. Failures are results, not exceptions: main.ts only maps them.
 */
export async function runJob(options: RunJobOptions): Promise<JobResult> {
  // The manifest's start: the job's, Grid wait included.
  const startedAt = new Date();
  const gridFailure = await _waitForGrid(options);
  if (gridFailure) return gridFailure;
  const scraped = await _scrapeToFiles(options, startedAt);
  if ('exitCode' in scraped) return scraped;
  return _transfer(options, scraped.dataDir);
}

// --- internal ---

/** The Grid's URL: the configured one, else the spec's. */
function _gridUrl({ config, spec }: RunJobOptions): string {
  return config.gridUrl ?? spec.browser.gridUrl;
}

/** Waits for the Grid to be ready; a failure when it is not (or the job was stopped meanwhile). */
async function _waitForGrid(options: RunJobOptions): Promise<JobResult | undefined> {
  const { spec, logger, signal } = options;
  let grid: ReturnType<typeof createGridClient> | undefined;
  try {
    // May hold credentials (basic auth, which selenium-webdriver takes from the URL): the Grid
    // client takes them out, and only its `url` is ever logged or put in a message.
    grid = createGridClient({ url: _gridUrl(options) });
    const shown = grid.url;
    await waitForGridReady(grid, {
      timeoutMs: spec.browser.readyTimeoutMs,
      until: spec.browser.waitFor === 'hub' ? 'answer' : 'capacity',
      signal,
      onWaiting: (problem) => logger.info({ gridUrl: shown, problem }, 'waiting for the Grid'),
    });
    logger.info({ gridUrl: shown }, 'the Grid is ready');
    return undefined;
  } catch (error) {
    if (!signal.aborted && !(error instanceof GridError)) throw error;
    return _failed(logger, signal.aborted ? 'terminated by a signal' : (error as Error).message);
  } finally {
    await grid?.close();
  }
}

/** Scrapes into sealed JSON Lines parts (this shard's, when sharded); their directory, or a failure. */
async function _scrapeToFiles(
  options: RunJobOptions,
  startedAt: Date,
): Promise<JobResult | { dataDir: string }> {
  const { spec, config, logger, stats, signal } = options;
  let writer: Awaited<ReturnType<typeof createRecordWriter>>;
  try {
    writer = await createRecordWriter({
      dir: spec.output.dir,
      partMaxBytes: spec.output.partMaxBytes,
      spec,
      ...(config.shard ? { partPrefix: `shard-${String(config.shard.index).padStart(5, '0')}-` } : {}),
    });
  } catch (error) {
    // E.g. data/ still holds a previous run's parts: loading them again would duplicate records.
    return _failed(logger, `cannot write the output: ${(error as Error).message}`);
  }
  const stopProgress = reportProgress(stats, logger);
  let scrape: Awaited<ReturnType<typeof scrapeJob>>;
  try {
    scrape = await scrapeJob({
      spec,
      gridUrl: _gridUrl(options),
      sink: writer,
      stats,
      logger,
      env: options.env,
      signal,
      ...(config.shard ? { shard: config.shard } : {}),
    });
  } catch (error) {
    stopProgress();
    await writer.abort(`scrape crashed: ${(error as Error).message}`);
    throw error;
  }
  stopProgress();

  if (scrape.status === 'aborted') {
    await writer.abort(scrape.reason ?? 'terminated');
    return _failed(
      logger,
      'terminated by a signal: partial output kept in in-progress/, not exposed in data/',
    );
  }
  await writer.finish({
    status: scrape.status,
    ...(scrape.reason === undefined ? {} : { reason: scrape.reason }),
    failures: scrape.failures,
    notes: scrape.notes,
    pages: scrape.pages,
    startedAt,
  });
  const dataDir = join(spec.output.dir, 'data');
  logger.info(
    { records: writer.recordsWritten, pages: scrape.pages, failures: scrape.failures.length, dataDir },
    'records written',
  );
  if (scrape.status === 'failed') return _failed(logger, scrape.reason ?? 'the scrape failed');
  return { dataDir };
}

/** Hands the sealed data directory to Embulk, when the spec and the configuration ask for it. */
async function _transfer(options: RunJobOptions, dataDir: string): Promise<JobResult> {
  const { spec, config, logger, metrics, signal } = options;
  if (!spec.embulk) {
    logger.info('transfer skipped: the spec has no embulk section; the JSON Lines files are the result');
    return { exitCode: 0 };
  }
  if (!config.embulkCommand) {
    logger.warn('transfer skipped: set WORKER_EMBULK_JAR or WORKER_EMBULK_COMMAND to run Embulk');
    return { exitCode: 0 };
  }
  logger.info({ command: config.embulkCommand[0], timeoutMs: config.embulkTimeoutMs }, 'transfer started');
  // The resolved config holds the database password: loadWithEmbulk keeps it off the shared /tmp.
  const embulk = await loadWithEmbulk({
    spec,
    dataDir,
    command: config.embulkCommand,
    timeoutMs: config.embulkTimeoutMs,
    logger,
    env: options.env,
    signal,
    ...(config.embulkConfigDir ? { configDir: config.embulkConfigDir } : {}),
    ...(config.shard ? { shard: config.shard } : {}),
  });
  metrics.embulkFinished(embulk.durationMs, embulk.exitCode);
  if (embulk.exitCode === 0) {
    logger.info({ durationMs: embulk.durationMs }, 'transfer done');
    return { exitCode: 0 };
  }
  const why = embulk.timedOut
    ? `embulk timed out after ${config.embulkTimeoutMs} ms`
    : signal.aborted
      ? 'embulk stopped: terminated by a signal'
      : `embulk failed with exit code ${embulk.exitCode}`;
  return _failed(
    logger,
    `${why}${embulk.errorLine ? `: ${embulk.errorLine}` : ''}; the JSON Lines stay in ${dataDir}`,
  );
}

function _failed(logger: Logger, reason: string): JobResult {
  logger.error({ reason }, 'job failed');
  return { exitCode: 1, reason };
}
