import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnTracked, type TrackedProcess, waitUntil } from '@scrapegrid/test-support';

/** Test helper: a real Prometheus (Debian package) scraping one target every second. */
export interface PrometheusProcess {
  readonly url: string;
  readonly process: TrackedProcess;
  /** Instant PromQL query; the vector's samples as [labels, value]. */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: number }>>;
  stop(): Promise<void>;
}

export async function startPrometheus(target: string): Promise<PrometheusProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'grid-exporter-prometheus-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}',
      'scrape_configs:',
      '  - job_name: grid-exporter',
      `    static_configs: [{targets: ["${target}"]}]`,
      '',
    ].join('\n'),
  );
  const child = spawnTracked('prometheus', '/usr/bin/prometheus', [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  const stop = async () => {
    await child.stop(5_000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      async () => {
        if (!child.isRunning()) throw new Error(`prometheus exited: ${child.output()}`);
        return (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok;
      },
      { what: 'Prometheus to be ready', timeoutMs: 30_000, intervalMs: 200 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    process: child,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`, {
        signal: AbortSignal.timeout(3000),
      });
      const body = (await response.json()) as {
        status: string;
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      if (body.status !== 'success') throw new Error(`query failed: ${JSON.stringify(body)}`);
      return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    stop,
  };
}
