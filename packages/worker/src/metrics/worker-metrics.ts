import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ScrapeStats } from '../scrape/scrape-stats.ts';

export interface WorkerMetrics {
  readonly registry: Registry;
  /** Embulk finished (exit code null: killed at the timeout or by a signal). */
  embulkFinished(durationMs: number, exitCode: number | null): void;
}

/**
 * The worker's Prometheus metrics, in their own registry with the worker_ prefix. Counters are
 * read from the one ScrapeStats snapshot at scrape time; page durations are observed as they end.
 */
export function createWorkerMetrics(stats: ScrapeStats): WorkerMetrics {
  const registry = new Registry();
  const fromStats = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  fromStats('worker_pages_total', 'Pages read successfully.', () => stats.pagesSucceeded);
  fromStats(
    'worker_page_failures_total',
    'Pages that failed for good, after their retries.',
    () => stats.pagesFailed,
  );
  fromStats('worker_records_total', 'Records written to the JSON Lines files.', () => stats.records);
  fromStats('worker_retries_total', 'Page attempts that failed and were retried.', () => stats.retries);
  fromStats(
    'worker_sessions_replaced_total',
    'Browser sessions lost (node killed, browser crashed) and replaced.',
    () => stats.sessionsReplaced,
  );
  fromStats(
    'worker_sessions_opened_total',
    'Browser sessions opened (each logs in first when the spec has a login).',
    () => stats.sessionsOpened,
  );
  fromStats(
    'worker_pages_skipped_total',
    'Pages not read because robots.txt disallows them.',
    () => stats.pagesSkipped,
  );
  // Records of this run as a gauge, beside the threshold: a site redesign that silently drops
  // records shows as `worker_run_records < worker_run_min_items`, or as a drop from earlier runs.
  new Gauge({
    name: 'worker_run_records',
    help: 'Records written by this run so far (its final value is the records per run).',
    registers: [registry],
    collect() {
      this.set(stats.records);
    },
  });
  new Gauge({
    name: 'worker_run_min_items',
    help: 'The spec limits.minItems: a run writing fewer records fails.',
    registers: [registry],
    collect() {
      this.set(stats.minItems);
    },
  });
  new Gauge({
    name: 'worker_pages_outstanding',
    help: 'Pages queued, waiting for a retry or being read.',
    registers: [registry],
    collect() {
      this.set(stats.outstanding);
    },
  });
  const pageDuration = new Histogram({
    name: 'worker_page_duration_seconds',
    help: 'Time to load and read one page attempt, by outcome.',
    labelNames: ['outcome'],
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  stats.onPage((seconds, outcome) => pageDuration.observe({ outcome }, seconds));
  const embulkDuration = new Gauge({
    name: 'worker_embulk_duration_seconds',
    help: 'How long the Embulk transfer ran.',
    registers: [registry],
  });
  const embulkExit = new Gauge({
    name: 'worker_embulk_exit_code',
    help: 'Exit code of the Embulk transfer (-1: killed by the worker, at its timeout or on SIGTERM).',
    registers: [registry],
  });
  return {
    registry,
    embulkFinished(durationMs, exitCode) {
      embulkDuration.set(durationMs / 1000);
      embulkExit.set(exitCode ?? -1);
    },
  };
}
