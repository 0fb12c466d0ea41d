export {
  HELP_TEXT,
  parseWorkerConfig,
  REDACT_URLS,
  USAGE,
  type WorkerConfig,
} from './config/worker-config.ts';
export { serveMetrics } from './metrics/serve-metrics.ts';
export { createWorkerMetrics, type WorkerMetrics } from './metrics/worker-metrics.ts';
export { reportProgress } from './progress/report-progress.ts';
export { type JobResult, type RunJobOptions, runJob } from './run-job.ts';
export { expandStartUrls } from './scrape/expand-start-urls.ts';
export { type ScrapeResult, scrapeJob } from './scrape/scrape-job.ts';
export { ScrapeStats } from './scrape/scrape-stats.ts';
export type { ScrapeFailure } from './scrape/session-lane.ts';
export { checkShardedSpec } from './shard/check-sharded-spec.ts';
export { readShard, type Shard } from './shard/read-shard.ts';
export { shardStartUrls } from './shard/shard-start-urls.ts';
export type { JobSpec, ScrapedRecord } from './spec/job-spec.ts';
export { parseJobSpec } from './spec/parse-job-spec.ts';
