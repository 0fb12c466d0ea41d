import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { clusterBinaries } from './cluster-binaries.ts';
import { type ContainerdClient, containerdClient } from './containerd-client.ts';
import { type KubectlClient, kubectlClient } from './kubectl-client.ts';

export class NotALocalCluster extends Error {
  readonly code = 'NOT_A_LOCAL_CLUSTER';
}

/** A running local cluster reached from its admin kubeconfig (what `scripts/cluster.sh up` printed). */
export interface AttachedCluster extends KubectlClient, Pick<ContainerdClient, 'importImage' | 'images'> {
  readonly runDir: string;
}

/**
 * The kubectl and containerd clients of a local cluster that another process started: its run
 * directory holds kubeconfig/admin.kubeconfig and containerd/containerd.sock.
 */
export function attachLocalCluster(kubeconfig: string): AttachedCluster {
  const runDir = dirname(dirname(kubeconfig));
  const socket = join(runDir, 'containerd', 'containerd.sock');
  if (!existsSync(socket))
    throw new NotALocalCluster(
      `no containerd socket at ${socket}: is ${kubeconfig} the local cluster's (bash scripts/cluster.sh up)?`,
    );
  const bins = clusterBinaries();
  const { importImage, images } = containerdClient(bins.ctr, () => socket);
  return { runDir, importImage, images, ...kubectlClient(bins.kubectl, () => kubeconfig) };
}
