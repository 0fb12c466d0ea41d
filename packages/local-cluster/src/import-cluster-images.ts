import type { AttachedCluster } from './attach-local-cluster.ts';
import type { ClusterImage } from './cluster-images.ts';

/** Imports the archives into the node's containerd, one at a time (each import unpacks layers). */
export async function importClusterImages(
  cluster: Pick<AttachedCluster, 'importImage'>,
  images: readonly ClusterImage[],
): Promise<void> {
  for (const { archive, name } of images) await cluster.importImage(archive, name);
}
