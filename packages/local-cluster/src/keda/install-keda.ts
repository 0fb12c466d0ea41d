import { waitUntil } from '@scrapegrid/process-group';
import type { KubectlClient } from '../kubectl-client.ts';
import { type KedaBuild, kedaBuild } from './keda-build.ts';
import { renderKedaManifests } from './render-keda-manifests.ts';

/** What KEDA needs from a cluster: a started LocalCluster, or one attached to (attachLocalCluster). */
export interface KedaCluster extends Pick<KubectlClient, 'kubectl'> {
  importImage(archive: string, name: string): Promise<void>;
}

export interface Keda {
  readonly build: KedaBuild;
  /** The operator's and the metrics API server's logs (last lines), for a failing test's message. */
  logs(): Promise<string>;
  /** Deletes everything the install created (namespace keda, CRDs, cluster RBAC, APIService). */
  uninstall(): Promise<void>;
}

export interface InstallKedaOptions {
  /** Deadline for KEDA to be ready, APIService included (default 300 s). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * Installs real KEDA into the cluster, the one way both the tests and scripts/keda/install-local.sh
 * do it: its images imported into the node's containerd, then upstream's config/minimal manifests
 * (with scripts/keda/deploy's patches) applied server-side. Resolves when the operator and the
 * metrics API server are available and the aggregation layer reports APIService
 * v1beta1.external.metrics.k8s.io Available, i.e. the HPA controller can read external metrics.
 */
export async function installKeda(cluster: KedaCluster, options: InstallKedaOptions = {}): Promise<Keda> {
  const log = options.log ?? (() => {});
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  const remaining = () => Math.max(1_000, deadline - Date.now());
  const build = kedaBuild();
  for (const image of build.images) await cluster.importImage(image.archive, image.name);
  log(`KEDA ${build.version} images imported`);
  const manifests = await renderKedaManifests(build, cluster);
  const keda: Keda = {
    build,
    logs: async () => {
      const parts: string[] = [];
      for (const deploy of ['keda-operator', 'keda-metrics-apiserver']) {
        const out = await cluster
          .kubectl(['-n', 'keda', 'logs', `deploy/${deploy}`, '--tail=60'], { timeoutMs: 20_000 })
          .catch((error: Error) => error.message);
        parts.push(`--- ${deploy} ---\n${out}`);
      }
      return parts.join('\n');
    },
    uninstall: async () => {
      await cluster.kubectl(['delete', '--ignore-not-found', '--wait=true', '--timeout=120s', '-f', '-'], {
        input: manifests,
        timeoutMs: 150_000,
      });
    },
  };
  await cluster.kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: manifests });
  try {
    await cluster.kubectl(
      [
        '-n',
        'keda',
        'wait',
        '--for=condition=Available',
        'deployment/keda-operator',
        'deployment/keda-metrics-apiserver',
        `--timeout=${Math.ceil(remaining() / 1000)}s`,
      ],
      { timeoutMs: remaining() + 10_000 },
    );
    log('KEDA operator and metrics API server available');
    await waitUntil(
      async () =>
        (
          await cluster.kubectl([
            'get',
            'apiservice',
            'v1beta1.external.metrics.k8s.io',
            '-o',
            'jsonpath={.status.conditions[?(@.type=="Available")].status}',
          ])
        ).trim() === 'True',
      {
        what: 'APIService v1beta1.external.metrics.k8s.io to be Available',
        timeoutMs: remaining(),
        intervalMs: 1_000,
      },
    );
    log('external metrics API served through the aggregation layer');
  } catch (error) {
    if (error instanceof Error) error.message += `\n${await keda.logs()}`;
    throw error;
  }
  return keda;
}
