import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '@scrapegrid/program-kit';
import type { Config } from './config.ts';

export type KubeAccess = { kc: KubeConfig; why?: undefined } | { kc?: undefined; why: string };

/**
 * API access for the pod watch, or the reason there is none (said once at start by main). The
 * Kubernetes client is loaded only when access is configured: without it the reaper idles
 * ~20 MiB smaller.
 */
export async function loadKubeAccess(config: Config): Promise<KubeAccess> {
  if (config.podName === undefined) {
    return { why: 'SIDECAR_REAPER_POD_NAME / SIDECAR_REAPER_POD_NAMESPACE are not set (downward API)' };
  }
  if (!config.kubeconfigPath && !config.inCluster) {
    return { why: 'not in a cluster (no KUBERNETES_SERVICE_HOST) and no --kubeconfig' };
  }
  const kc = await loadKubeConfig({
    kubeconfigPath: config.kubeconfigPath,
    inCluster: config.inCluster,
    purpose: 'the pod watch',
  });
  return { kc };
}
