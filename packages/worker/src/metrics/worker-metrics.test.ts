import { describe, expect, test } from 'vitest';
import { ScrapeStats } from '../scrape/scrape-stats.ts';
import { createWorkerMetrics } from './worker-metrics.ts';

describe('createWorkerMetrics', () => {
  test('exposes the stats snapshot, page durations and the Embulk outcome with the worker_ prefix', async () => {
    const stats = new ScrapeStats();
    const metrics = createWorkerMetrics(stats);
    stats.pageFinished(400, 'succeeded');
    stats.pageFinished(2500, 'retried');
    stats.records = 10;
    stats.minItems = 25;
    stats.sessionsOpened = 2;
    stats.pagesSkipped = 3;
    metrics.embulkFinished(12_500, 1);
    const text = await metrics.registry.metrics();
    expect(text).toContain('worker_pages_total 1');
    expect(text).toContain('worker_retries_total 1');
    expect(text).toContain('worker_records_total 10');
    expect(text).toContain('worker_page_failures_total 0');
    expect(text).toContain('worker_run_records 10');
    expect(text).toContain('worker_run_min_items 25');
    expect(text).toContain('worker_sessions_opened_total 2');
    expect(text).toContain('worker_pages_skipped_total 3');
    expect(text).toContain('worker_page_duration_seconds_bucket{le="0.5",outcome="succeeded"} 1');
    expect(text).toContain('worker_page_duration_seconds_count{outcome="retried"} 1');
    expect(text).toContain('worker_embulk_duration_seconds 12.5');
    expect(text).toContain('worker_embulk_exit_code 1');
    for (const name of text.match(/^# TYPE (\S+) (\S+)/gm) ?? []) {
      const [, , metric, type] = name.split(' ');
      expect(metric!.startsWith('worker_')).toBe(true);
      expect(metric!.endsWith('_total')).toBe(type === 'counter');
    }
  });
});
