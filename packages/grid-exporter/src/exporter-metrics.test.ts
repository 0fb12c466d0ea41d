import { pino } from 'pino';
import { describe, expect, test } from 'vitest';
import { buildGridData } from './build-grid-data.ts';
import { makeExporterMetrics } from './exporter-metrics.ts';
import { GridPollError } from './grid-poll-error.ts';
import { GridPoller } from './grid-poller.ts';
import type { GridAnswer, GridSource } from './grid-source.ts';
import { makePool } from './pool.ts';

const CHROME = { browserName: 'chrome', platformName: 'linux' };

function pollerAnswering(answers: Array<GridAnswer | Error>) {
  const client: GridSource = {
    async fetch() {
      const next = answers.shift()!;
      if (next instanceof Error) throw next;
      return next;
    },
    close: async () => {},
  };
  const pools = [
    makePool({ name: 'chrome', browserName: 'chrome', platformName: 'linux' }),
    makePool({ name: 'ff', browserName: 'firefox' }),
  ];
  return new GridPoller({ client, pools, intervalSeconds: 60, logger: pino({ level: 'silent' }) });
}

describe('exporter metrics', () => {
  const data = buildGridData(
    [
      { id: 'a', stereotypes: [{ slots: 2, stereotype: CHROME }], sessions: [CHROME] },
      { id: 'b', status: 'DRAINING', stereotypes: [{ slots: 1, stereotype: CHROME }], sessions: [CHROME] },
    ],
    [CHROME, CHROME, { browserName: 'safari' }],
  );

  test('a good poll exports the Grid and every pool', async () => {
    const poller = pollerAnswering([{ data, queueRequestIds: ['x'] }]);
    const metrics = makeExporterMetrics(poller, '1.2.3');
    await poller.pollOnce();
    const text = await metrics.render();
    for (const line of [
      'selenium_grid_up 1',
      'selenium_grid_nodes{status="up"} 1',
      'selenium_grid_nodes{status="draining"} 1',
      'selenium_grid_slots{state="busy"} 2',
      'selenium_grid_slots{state="free"} 1',
      'selenium_grid_queue_size 3',
      'selenium_grid_queue_unmatched_requests 1',
      'selenium_grid_pool_desired_nodes{pool="chrome"} 2',
      'selenium_grid_pool_queued_requests{pool="chrome"} 2',
      'selenium_grid_pool_busy_nodes{pool="chrome"} 1',
      'selenium_grid_pool_free_slots{pool="chrome"} 1',
      'selenium_grid_pool_sessions{pool="chrome"} 2',
      'selenium_grid_pool_desired_nodes{pool="ff"} 0',
      'selenium_grid_polls_total 1',
      'selenium_grid_exporter_build_info{version="1.2.3",',
    ]) {
      expect(text).toContain(line);
    }
    // Prometheus conventions: one prefix, `_total` only on counters.
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!] as const);
    for (const [name, type] of types) {
      expect(name).toMatch(/^selenium_grid_[a-z_]+$/);
      expect(name.endsWith('_total'), name).toBe(type === 'counter');
    }
  });

  test('a failed poll exports up 0 and the error, and no stale Grid numbers', async () => {
    const poller = pollerAnswering([{ data, queueRequestIds: [] }, new GridPollError('unreachable', 'down')]);
    const metrics = makeExporterMetrics(poller, '1.2.3');
    await poller.pollOnce();
    await poller.pollOnce();
    const text = await metrics.render();
    expect(text).toContain('selenium_grid_up 0');
    expect(text).toContain('selenium_grid_poll_errors_total{reason="unreachable"} 1');
    expect(text).toContain('selenium_grid_polls_total 2');
    expect(text).not.toContain('selenium_grid_pool_');
    expect(text).not.toContain('selenium_grid_sessions');
  });

  test('scrapes between polls share one rendering', async () => {
    const poller = pollerAnswering([{ data, queueRequestIds: [] }]);
    const metrics = makeExporterMetrics(poller, '1.2.3');
    await poller.pollOnce();
    const [a, b] = [metrics.render(), metrics.render()];
    expect(a).toBe(b);
  });
});
