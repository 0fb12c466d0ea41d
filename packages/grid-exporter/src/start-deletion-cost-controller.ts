import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ExporterMetrics } from './exporter-metrics.ts';
import type { GridPoller } from './grid-poller.ts';
import type { Pool } from './pool.ts';

export interface DeletionCostWiring {
  kubeConfig: KubeConfig;
  poller: GridPoller;
  pools: readonly Pool[];
  metrics: ExporterMetrics;
  logger: Logger;
}

/**
 * Starts the pod-deletion-cost controller on every poll. The controller (and with it the
 * Kubernetes client, most of the bundle) is imported only when the controller is on.
 */
export async function startDeletionCostController({
  kubeConfig,
  poller,
  pools,
  metrics,
  logger,
}: DeletionCostWiring) {
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
