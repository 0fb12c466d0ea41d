#!/usr/bin/env node
// grid-exporter: Selenium Grid demand as Prometheus metrics. Only wiring: config, logger, pools,
// Grid client, poller, then `once` or the server (and the optional KEDA external-push gRPC scaler,
// queue watcher and pod-deletion-cost controller) until SIGTERM. Exit codes: 0 ok; 1 `once` could not poll the Grid, or a runtime failure; 2 bad
// configuration (runMain).
import { createLogger, loadKubeConfig, onShutdown, runMain } from '@scrapegrid/program-kit';
import { createGridClient, type GridOptions } from '@scrapegrid/selenium-grid';
import pkg from '../package.json' with { type: 'json' };
import { type Config, parseConfig, REDACT, USAGE } from './config.ts';
import { makeExporterMetrics } from './exporter-metrics.ts';
import { startExternalScalerServer } from './external-scaler-server.ts';
import { GridPoller } from './grid-poller.ts';
import { gridSource } from './grid-source.ts';
import { startExporterServer } from './http-server.ts';
import { loadPools } from './load-pools.ts';
import { PoolActivity } from './pool-activity.ts';
import { QueueWatcher } from './queue-watcher.ts';
import { runOnce } from './run-once.ts';
import { startDeletionCostController } from './start-deletion-cost-controller.ts';

const SHUTDOWN_GRACE_MS = 10_000;

runMain('grid-exporter', async () => {
  const config = parseConfig(process.argv.slice(2), process.env);
  if (config.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Logs on stderr: stdout belongs to `once`'s exposition text.
  const logger = await createLogger({
    name: 'grid-exporter',
    level: config.logLevel,
    format: config.logFormat,
    fd: 2,
    redact: REDACT,
  });
  logger.info({ config, version: pkg.version }, 'grid-exporter starting');
  const pools = await loadPools(config);
  const kubeConfig =
    config.podDeletionCost && config.command === 'serve'
      ? await loadKubeConfig({ purpose: 'pod-deletion-cost' })
      : undefined;
  logger.info({ pools: pools.map((p) => p.name) }, 'pools loaded');

  const grid = createGridClient({
    url: config.gridUrl,
    auth: _auth(config),
    ca: config.ca?.pem,
    insecure: config.insecure,
    timeoutMs: config.timeoutSeconds * 1000,
  });
  const client = gridSource(grid);
  const poller = new GridPoller({ client, pools, intervalSeconds: config.pollIntervalSeconds, logger });
  const metrics = makeExporterMetrics(poller, pkg.version);

  if (config.command === 'once') {
    try {
      return await runOnce(poller, metrics, process.stdout);
    } finally {
      await client.close();
    }
  }

  const server = await startExporterServer({
    host: config.host,
    port: config.port,
    poller,
    metrics,
    poolNames: pools.map((p) => p.name),
    logger,
  });
  const activity = new PoolActivity(poller);
  const scaler =
    config.grpcPort === undefined
      ? undefined
      : await startExternalScalerServer({
          host: config.host,
          port: config.grpcPort,
          activity,
          poolNames: pools.map((p) => p.name),
          logger,
        });
  const watcher =
    config.queueWatchSeconds > 0
      ? new QueueWatcher({
          probe: () => grid.queueRequestIds(),
          intervalMs: config.queueWatchSeconds * 1000,
          armed: () => activity.anyInactive(),
          onNewRequest: () => poller.pollOnce(),
          logger,
        })
      : undefined;
  const controller =
    kubeConfig && (await startDeletionCostController({ kubeConfig, poller, pools, metrics, logger }));
  poller.start();
  watcher?.start();
  logger.info({ port: server.port }, 'serving /metrics, /pools/<name>, /healthz, /readyz');
  if (scaler) logger.info({ grpcPort: scaler.port }, "serving KEDA's external-push scaler");

  onShutdown({ graceMs: SHUTDOWN_GRACE_MS, log: logger }, async () => {
    // The gRPC streams end with status OK (KEDA reconnects, to the next pod) within the grace.
    await Promise.allSettled([
      poller.stop(),
      watcher?.stop(),
      server.close(),
      scaler?.close(5_000),
      controller?.stop(),
    ]);
    await client.close();
  });
  return new Promise<number>(() => {}); // the server runs until the shutdown exits
});

// --- internal ---

function _auth(config: Config): GridOptions['auth'] {
  if (config.token !== undefined) return { kind: 'bearer', token: config.token };
  if (config.username !== undefined && config.password !== undefined) {
    return { kind: 'basic', username: config.username, password: config.password };
  }
  return undefined;
}
