import { KubeConfig } from '@kubernetes/client-node';
import type { Config } from './config.ts';

export type KubeAccess = { kc: KubeConfig; why?: undefined } | { kc?: undefined; why: string };

/** API access for the pod watch, or the reason there is none (said once at start by main). */
export function loadKubeConfig(config: Config): KubeAccess {
  if (config.podName === undefined) {
    return { why: 'SIDECAR_REAPER_POD_NAME / SIDECAR_REAPER_POD_NAMESPACE are not set (downward API)' };
  }
  const kc = new KubeConfig();
  if (config.kubeconfigPath) {
    kc.loadFromFile(config.kubeconfigPath);
  } else if (config.inCluster) {
    kc.loadFromCluster();
  } else {
    return { why: 'not in a cluster (no KUBERNETES_SERVICE_HOST) and no --kubeconfig' };
  }
  return { kc };
}
