import type { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from './config-error.ts';

export interface KubeAccessSpec {
  /** A kubeconfig file; wins over everything else. */
  readonly kubeconfigPath?: string | undefined;
  /** Use the pod's service account (and nothing else) when no file is given. */
  readonly inCluster?: boolean;
  /** Where a missing file or cluster is reported from, e.g. "pod-deletion-cost". */
  readonly purpose: string;
}

/**
 * The one way a program gets Kubernetes credentials: the kubeconfig file it was given, else
 * the pod's service account when asked for, else the default chain (KUBECONFIG, the in-cluster service account, ~/.kube/config). The client is
 * imported here, on demand: it is most of a bundle and ~20 MiB of heap, which a program that has
 * no API access configured never pays. Throws ConfigError when no cluster comes out of it.
 */
export async function loadKubeConfig(spec: KubeAccessSpec): Promise<KubeConfig> {
  const { KubeConfig } = await import('./kube-config-class.ts');
  const kubeConfig = new KubeConfig();
  try {
    if (spec.kubeconfigPath) kubeConfig.loadFromFile(spec.kubeconfigPath);
    else if (spec.inCluster) kubeConfig.loadFromCluster();
    else kubeConfig.loadFromDefault();
  } catch (cause) {
    throw new ConfigError(`${spec.purpose}: no Kubernetes credentials: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (kubeConfig.getCurrentCluster() === null) {
    throw new ConfigError(`${spec.purpose}: no Kubernetes cluster configured`);
  }
  return kubeConfig;
}
