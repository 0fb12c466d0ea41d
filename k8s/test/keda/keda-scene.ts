import { fileURLToPath } from 'node:url';
import {
  clusterLayout,
  installKeda,
  type Keda,
  type LocalCluster,
  startLocalCluster,
} from '@scrapegrid/local-cluster';
import {
  freePort,
  type Grid,
  spawnTracked,
  startGrid,
  type TrackedProcess,
  waitUntil,
} from '@scrapegrid/test-support';
import { kubeList } from '../cluster/kube-list.ts';
import type { K8sObject } from '../k8s-object.ts';
import { findObject } from '../policies/find-object.ts';
import { renderedVariants } from '../rendered-variants.ts';

/**
 * What the KEDA proofs and the reaction benchmark share: the local cluster with real KEDA
 * installed, a real Grid hub (test-support's, bound to the cluster bridge so pods reach it) and
 * the real grid-exporter program polling it (also on the bridge), and the overlays' rendered
 * ScaledObjects. The Grid runs beside the cluster so that a test can give it nodes of any
 * stereotype and drain them directly; KEDA reaches it as it reaches an in-cluster hub, by URL.
 */
export interface KedaScene {
  readonly cluster: LocalCluster;
  readonly keda: Keda;
  readonly grid: Grid;
  readonly exporterUrl: string;
  readonly registrationSecret: string;
  /** A ScaledObject as `kubectl kustomize` renders it for an overlay variant (`grid-keda`, `grid-keda-exporter+optional`…). */
  scaledObject(variant: string, name: string): K8sObject;
  apply(objects: readonly object[]): Promise<void>;
  stop(): Promise<void>;
}

export interface KedaSceneOptions {
  /** grid-exporter's poll interval (the overlay ships 5 s). */
  exporterPollSeconds?: number;
  log?: (line: string) => void;
}

export async function startKedaScene(options: KedaSceneOptions = {}): Promise<KedaScene> {
  const log = options.log ?? (() => {});
  const registrationSecret = 'keda-scene-secret';
  const variants = await renderedVariants();
  const cluster = await startLocalCluster({ log });
  let grid: Grid | undefined;
  let exporter: TrackedProcess | undefined;
  const stop = async () => {
    await exporter?.stop(5_000);
    await grid?.stop();
    await cluster.stop();
  };
  try {
    const keda = await installKeda(cluster, { log });
    grid = await startGrid({
      host: clusterLayout.bridgeIp,
      nodes: 0,
      registrationSecret,
      // Queued requests wait for as long as a test or a benchmark run needs them.
      hubArgs: ['--session-request-timeout', '900'],
    });
    const port = await freePort();
    const exporterUrl = `http://${clusterLayout.bridgeIp}:${port}`;
    const running = spawnTracked('grid-exporter', process.execPath, [
      fileURLToPath(new URL('../../../packages/grid-exporter/src/main.ts', import.meta.url)),
      'serve',
      '--grid-url',
      grid.hubUrl,
      '--pools',
      fileURLToPath(new URL('../../base/grid-exporter/grid-exporter-pools.yaml', import.meta.url)),
      '--host',
      clusterLayout.bridgeIp,
      '--port',
      String(port),
      '--poll-interval',
      String(options.exporterPollSeconds ?? 5),
    ]);
    exporter = running;
    await waitUntil(
      async () => {
        if (!running.isRunning()) throw new Error(`grid-exporter exited:\n${running.output()}`);
        return (await fetch(`${exporterUrl}/readyz`)).ok;
      },
      { what: 'grid-exporter to poll the Grid', timeoutMs: 60_000, intervalMs: 250 },
    );
    log(`Grid hub at ${grid.hubUrl}, grid-exporter at ${exporterUrl}`);
    const ready = grid;
    return {
      cluster,
      keda,
      grid: ready,
      exporterUrl,
      registrationSecret,
      scaledObject: (variant, name) => {
        const objects = variants.find((v) => v.name === variant)?.objects;
        if (!objects) throw new Error(`no rendered overlay variant ${variant}`);
        return findObject(objects, 'ScaledObject', name);
      },
      apply: async (objects) => {
        await cluster.kubectl(['apply', '--server-side', '-f', '-'], {
          input: kubeList(objects),
        });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
