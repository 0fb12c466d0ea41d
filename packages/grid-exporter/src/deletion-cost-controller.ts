import {
  ApiException,
  CoreV1Api,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Pod,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { GridSnapshot } from './grid-snapshot.ts';
import { POD_DELETION_COST, type PodView, podDeletionCosts } from './pod-deletion-costs.ts';
import type { Pool, PoolKubernetes } from './pool.ts';

export type PatchResult = 'ok' | 'conflict' | 'not_found' | 'forbidden' | 'error';

export interface DeletionCostControllerOptions {
  readonly kubeConfig: KubeConfig;
  readonly pools: readonly Pool[];
  readonly logger: Logger;
  /** Called once per patch attempt (the exporter counts them in a metric). */
  readonly onPatch?: (result: PatchResult) => void;
}

/**
 * Sets `controller.kubernetes.io/pod-deletion-cost` on the pods of pools that name their
 * namespace and pod selector, after each successful poll: busy pods high, idle pods low, so a
 * scale-down removes idle browsers first. Needs only `list` and `patch` on pods in the pools'
 * namespaces. Patches only values that change, as a merge patch carrying the pod's
 * resourceVersion: a pod changed since the list gets a 409 and is retried on the next poll with
 * fresh data, never overwritten blindly.
 */
export class DeletionCostController {
  readonly #api: CoreV1Api;
  readonly #options: DeletionCostControllerOptions;
  #running: Promise<void> | undefined;
  #next: GridSnapshot | undefined;
  #stopped = false;

  constructor(options: DeletionCostControllerOptions) {
    this.#options = options;
    this.#api = options.kubeConfig.makeApiClient(CoreV1Api);
  }

  /** Reconciles against a snapshot; while a round runs, only the newest snapshot waits its turn. */
  onSnapshot(snapshot: GridSnapshot): Promise<void> {
    if (this.#stopped || snapshot.grid === undefined) return this.#running ?? Promise.resolve();
    this.#next = snapshot;
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#next = undefined;
    await this.#running;
  }

  // --- internal ---

  async #drain(): Promise<void> {
    for (let snapshot = this.#next; snapshot !== undefined; snapshot = this.#next) {
      this.#next = undefined;
      for (const pool of this.#options.pools) {
        if (pool.kubernetes === undefined || this.#stopped) continue;
        try {
          await this.#reconcile(pool, pool.kubernetes, snapshot);
        } catch (error) {
          this.#options.logger.warn(
            { err: error, pool: pool.name },
            'pod-deletion-cost: listing pods failed',
          );
        }
      }
    }
  }

  async #reconcile(pool: Pool, where: PoolKubernetes, snapshot: GridSnapshot): Promise<void> {
    const grid = snapshot.grid!;
    const demand = grid.pools.find((p) => p.pool === pool.name);
    const list = await this.#api.listNamespacedPod({
      namespace: where.namespace,
      labelSelector: where.podSelector,
    });
    const pods = list.items.filter(
      (p) => p.metadata?.name !== undefined && p.metadata.deletionTimestamp === undefined,
    );
    const costs = podDeletionCosts(
      pods.map(_podView),
      grid.state.nodes,
      new Set(demand?.neededNodeIds ?? []),
    );
    for (const pod of pods) {
      const name = pod.metadata!.name!;
      const cost = costs.get(name);
      if (cost === undefined || pod.metadata?.annotations?.[POD_DELETION_COST] === String(cost)) continue;
      const result = await this.#patch(where.namespace, name, pod.metadata?.resourceVersion, String(cost));
      this.#options.onPatch?.(result);
      const log =
        result === 'ok' ? 'debug' : result === 'conflict' || result === 'not_found' ? 'info' : 'warn';
      this.#options.logger[log]({ pool: pool.name, pod: name, cost, result }, 'pod-deletion-cost patch');
    }
  }

  async #patch(
    namespace: string,
    name: string,
    resourceVersion: string | undefined,
    cost: string,
  ): Promise<PatchResult> {
    try {
      await this.#api.patchNamespacedPod(
        {
          namespace,
          name,
          body: { metadata: { resourceVersion, annotations: { [POD_DELETION_COST]: cost } } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      return 'ok';
    } catch (error) {
      if (error instanceof ApiException) {
        if (error.code === 409) return 'conflict';
        if (error.code === 404) return 'not_found';
        if (error.code === 403) return 'forbidden';
      }
      this.#options.logger.warn({ err: error, pod: name }, 'pod-deletion-cost: patch failed');
      return 'error';
    }
  }
}

// --- internal ---

function _podView(pod: V1Pod): PodView {
  const ips = new Set<string>();
  if (pod.status?.podIP) ips.add(pod.status.podIP);
  for (const ip of pod.status?.podIPs ?? []) if (ip.ip) ips.add(ip.ip);
  return { name: pod.metadata!.name!, ips: [...ips], annotations: pod.metadata?.annotations ?? {} };
}
