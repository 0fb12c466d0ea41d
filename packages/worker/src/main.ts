#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ConfigError, createLogger, onShutdown, redactUrl } from '@scrapegrid/program-kit';
import { DEFAULT_SENTINEL_PATH, makeSentinel, writeSentinel, writeSentinelSync } from '@scrapegrid/sentinel';
import { HELP_TEXT, parseWorkerConfig, REDACT_URLS } from './config/worker-config.ts';
import { serveMetrics } from './metrics/serve-metrics.ts';
import { createWorkerMetrics } from './metrics/worker-metrics.ts';
import { runJob } from './run-job.ts';
import { ScrapeStats } from './scrape/scrape-stats.ts';
import { checkShardedSpec } from './shard/check-sharded-spec.ts';
import { parseJobSpec } from './spec/parse-job-spec.ts';
import type { CrawlSummaryInput } from './summary/crawl-summary.ts';
import { writeCrawlSummary } from './summary/write-crawl-summary.ts';

/**
 * `worker run <spec.yaml>` | `worker validate <spec.yaml>` | `worker help`. Only wires: config, spec, metrics, the
 * job, then the sentinel and the exit code (0 done; 1 scrape or transfer failed; 2 bad spec or
 * configuration). On SIGTERM the job is aborted and has SHUTDOWN_GRACE_MS to stop cleanly (sessions
 * closed, partial output withdrawn); a second signal or the end of that time exits 1 at once
 * (program-kit's onShutdown). The sentinel is written on every path of `run`, before the exit.
 * Not runMain: a configuration error must still write the sentinel, so this exits itself.
 */
const SHUTDOWN_GRACE_MS = 20_000;

// `worker help` is what a person tries first: it answers as --help does.
const argv = process.argv[2] === 'help' ? ['--help', ...process.argv.slice(3)] : process.argv.slice(2);
const env = process.env;
const controller = new AbortController();
let logger = await createLogger({ name: 'worker' });
// Until the configuration is read, a failing `run` still tells the reaper, at the default place
// or the one configured.
let sentinelPath: string | undefined =
  argv[0] === 'validate' ? undefined : env.WORKER_SENTINEL_PATH?.trim() || DEFAULT_SENTINEL_PATH;
// The container's termination message (a Job's pods set it to /dev/termination-log): the run's
// one-line summary, readable from the pod's status. Unset (a local run): nothing is written.
const summaryPath =
  argv[0] === 'validate' ? undefined : env.WORKER_TERMINATION_MESSAGE_PATH?.trim() || undefined;
// What the summary reports, filled in as the run learns it.
const summary: Omit<CrawlSummaryInput, 'exitCode' | 'reason'> & { stats?: ScrapeStats } = {
  records: 0,
  pagesOk: 0,
  pagesFailed: 0,
};
let exiting = false;
let finished: Promise<never> | undefined;

onShutdown(
  {
    graceMs: SHUTDOWN_GRACE_MS,
    // Through the variable: the logger is replaced once the configuration is read.
    log: { warn: (o, m) => logger.warn(o, m), error: (o, m) => logger.error(o, m) },
    beforeForcedExit: lastWords,
  },
  async ({ signal }) => {
    if (exiting) return finished;
    logger.warn({ signal }, 'stopping: no new pages, partial output is not exposed');
    controller.abort(new Error(`terminated by ${signal}`));
    // The job ends, the sentinel is written and main exits with the job's code (1 when aborted).
    return new Promise<void>(() => {});
  },
);
const outcome = await run().catch((error: unknown) => {
  logger.error({ error: (error as Error).stack }, 'unexpected error');
  return { exitCode: 1, reason: `unexpected error: ${(error as Error).message}` };
});
finished = exit(outcome.exitCode, outcome.reason);
await finished;

// --- internal ---

async function run(): Promise<{ exitCode: number; reason?: string }> {
  let config: ReturnType<typeof parseWorkerConfig>;
  try {
    config = parseWorkerConfig(argv, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.message.split('\n')) logger.error({ code: error.code }, line);
    return { exitCode: 2, reason: `configuration invalid: ${error.message.split('\n')[0]}` };
  }
  sentinelPath = config.command === 'run' ? config.sentinelPath : undefined;
  if (config.shard) summary.shard = config.shard;
  if (config.command === 'help') {
    process.stdout.write(`${HELP_TEXT}\n`);
    process.exit(0);
  }
  // A Grid URL may hold a password (basic auth): it is logged without it.
  logger = await createLogger({
    name: 'worker',
    level: config.logLevel,
    format: config.logFormat,
    urls: { paths: REDACT_URLS, redact: redactUrl },
  });
  logger.info({ config }, 'configuration');

  let spec: ReturnType<typeof parseJobSpec>;
  try {
    spec = parseJobSpec(await readFile(config.specPath, 'utf8'), {
      env,
      sourceName: basename(config.specPath),
    });
  } catch (error) {
    const { code, message } = error as Error & { code?: string };
    if (code !== 'SPEC_INVALID') return { exitCode: 2, reason: `cannot read the job spec: ${message}` };
    for (const line of message.split('\n')) logger.error({ code }, line);
    return { exitCode: 2, reason: `job spec invalid: ${message.split('\n')[0]}` };
  }
  summary.job = spec.name;
  try {
    checkShardedSpec(spec, config.shard);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.message.split('\n')) logger.error({ code: error.code }, line);
    return { exitCode: 2, reason: `shards invalid: ${error.message.split('\n')[0]}` };
  }
  if (config.command === 'validate') {
    logger.info({ job: spec.name }, `${config.specPath} is valid`);
    return { exitCode: 0 };
  }

  const stats = new ScrapeStats();
  summary.stats = stats;
  const metrics = createWorkerMetrics(stats);
  const server = await serveMetrics(metrics.registry, config.metricsPort).catch((error: Error) => error);
  if (server instanceof Error)
    return { exitCode: 2, reason: `cannot serve metrics on port ${config.metricsPort}: ${server.message}` };
  logger.info({ port: server.port, path: '/metrics' }, 'metrics served');
  try {
    return await runJob({ spec, config, logger, stats, metrics, env, signal: controller.signal });
  } finally {
    await server.close();
  }
}

async function exit(exitCode: number, reason?: string): Promise<never> {
  exiting = true;
  if (sentinelPath !== undefined) {
    try {
      await writeSentinel(sentinelPath, makeSentinel(exitCode, reason));
    } catch (error) {
      logger.error({ path: sentinelPath, error: (error as Error).message }, 'could not write the sentinel');
    }
  }
  writeSummary(exitCode, reason);
  // The last line says what happened, with Embulk's own error line when the transfer failed.
  if (exitCode === 0) logger.info({ exitCode }, 'worker done');
  else logger.error({ exitCode }, `worker failed: ${reason ?? 'unknown reason'}`);
  process.exit(exitCode);
}

// A forced exit (second signal, grace over): the sentinel still says why, synchronously.
function lastWords(reason: string): void {
  exiting = true;
  writeSummary(1, reason);
  if (sentinelPath === undefined) return;
  try {
    writeSentinelSync(sentinelPath, makeSentinel(1, reason));
  } catch (error) {
    logger.error({ path: sentinelPath, error: (error as Error).message }, 'could not write the sentinel');
  }
  logger.error({ exitCode: 1 }, `worker failed: ${reason}`);
}

function writeSummary(exitCode: number, reason: string | undefined): void {
  const { stats, ...known } = summary;
  const problem = writeCrawlSummary(summaryPath, {
    ...known,
    ...(stats
      ? { records: stats.records, pagesOk: stats.pagesSucceeded, pagesFailed: stats.pagesFailed }
      : {}),
    exitCode,
    ...(reason === undefined ? {} : { reason }),
  });
  if (problem !== undefined)
    logger.error({ path: summaryPath, error: problem }, 'could not write the termination message');
}
