import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { createGridClient, type GridOptions } from '@scrapegrid/selenium-grid';
import type { Logger } from 'pino';
import pkg from '../package.json' with { type: 'json' };
import { type Config, parseConfig, redactConfig } from './config.ts';
import { ConfigError } from './config-error.ts';
import { type ExporterMetrics, makeExporterMetrics } from './exporter-metrics.ts';
import { GridPoller } from './grid-poller.ts';
import { gridSource } from './grid-source.ts';
import { startExporterServer } from './http-server.ts';
import { loadPools } from './load-pools.ts';
import { makeLogger } from './logger.ts';
import type { Pool } from './pool.ts';
import { PoolConfigError } from './pool-config-error.ts';
import { runOnce } from './run-once.ts';

// Exit codes: 0 ok; 1 `once` could not poll the Grid, or a runtime failure; 2 bad configuration.
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<number> {
  let config: Config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) return _badConfig(error);
    throw error;
  }
  const logger = makeLogger(config.logLevel);
  logger.info({ config: redactConfig(config), version: pkg.version }, 'grid-exporter starting');
  let pools: Awaited<ReturnType<typeof loadPools>>;
  let ca: string | undefined;
  let kubeConfig: KubeConfig | undefined;
  try {
    pools = await loadPools(config);
    ca = config.caFile === undefined ? undefined : _readCa(config.caFile);
    if (config.podDeletionCost && config.command === 'serve') kubeConfig = await _loadKubeConfig();
  } catch (error) {
    if (error instanceof PoolConfigError || error instanceof ConfigError) return _badConfig(error);
    throw error;
  }
  logger.info({ pools: pools.map((p) => p.name) }, 'pools loaded');

  const client = gridSource(
    createGridClient({
      url: config.gridUrl,
      auth: _auth(config),
      ca,
      insecure: config.insecure,
      timeoutMs: config.timeoutSeconds * 1000,
    }),
  );
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
  const controller = kubeConfig && (await _startController(kubeConfig, poller, pools, metrics, logger));
  poller.start();
  logger.info({ port: server.port }, 'serving /metrics, /pools/<name>, /healthz, /readyz');

  return await new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return resolve(1); // a second signal: give up waiting
      stopping = true;
      logger.info({ signal }, 'shutting down');
      setTimeout(() => resolve(1), SHUTDOWN_GRACE_MS).unref();
      void Promise.allSettled([poller.stop(), server.close(), controller?.stop()])
        .then(() => client.close())
        .then(
          () => resolve(0),
          () => resolve(1),
        );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

// --- internal ---

// The Kubernetes client is loaded only when the controller is on: it is most of the bundle.
async function _startController(
  kubeConfig: KubeConfig,
  poller: GridPoller,
  pools: readonly Pool[],
  metrics: ExporterMetrics,
  logger: Logger,
) {
  const managed = pools.filter((p) => p.kubernetes !== undefined).map((p) => p.name);
  if (managed.length === 0)
    logger.warn('pod-deletion-cost is on but no pool names its kubernetes namespace and podSelector');
  const { DeletionCostController } = await import('./deletion-cost-controller.ts');
  const controller = new DeletionCostController({
    kubeConfig,
    pools,
    logger,
    onPatch: (r) => metrics.countPatch(r),
  });
  poller.onPoll((snapshot) => void controller.onSnapshot(snapshot));
  logger.info({ pools: managed }, 'pod-deletion-cost controller on');
  return controller;
}

// The Kubernetes client is most of the bundle: load it only when the controller is on.
async function _loadKubeConfig(): Promise<KubeConfig> {
  const { loadKubeConfig } = await import('./load-kube-config.ts');
  return loadKubeConfig();
}

function _auth(config: Config): GridOptions['auth'] {
  if (config.token !== undefined) return { kind: 'bearer', token: config.token };
  if (config.username !== undefined && config.password !== undefined) {
    return { kind: 'basic', username: config.username, password: config.password };
  }
  return undefined;
}

function _readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`CA file ${file}: ${(cause as Error).message}`, { cause });
  }
}

function _badConfig(error: Error): number {
  process.stderr.write(`grid-exporter: ${error.message}\n`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`grid-exporter: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
