import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from './config-error.ts';

/** Kubernetes credentials for the controller: in a pod the service account, elsewhere KUBECONFIG. */
export function loadKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromDefault();
  } catch (cause) {
    throw new ConfigError(`pod-deletion-cost: no Kubernetes credentials: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (kubeConfig.getCurrentCluster() === null)
    throw new ConfigError('pod-deletion-cost: no Kubernetes cluster configured');
  return kubeConfig;
}
