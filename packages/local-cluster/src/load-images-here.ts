import { attachLocalCluster } from './attach-local-cluster.ts';
import { clusterImages } from './cluster-images.ts';
import { runningKubeconfig } from './cluster-supervisor.ts';
import { importClusterImages } from './import-cluster-images.ts';
import { prepareLocalVolumes } from './local-volumes.ts';
import { OVERLAY_IMAGES } from './overlay-images.ts';

/**
 * `scripts/cluster.sh images`: builds what is missing of every image the overlays run (cached),
 * imports them into the running local cluster's node (KUBECONFIG, else the cluster `up` started)
 * and makes the demo's local volume directory, so that `kubectl apply -k k8s/overlays/<name>`
 * finds everything on the node. Says which images are stand-ins. Exit code.
 */
export async function loadImagesHere(kubeconfig: string | undefined): Promise<number> {
  const config = kubeconfig ?? runningKubeconfig();
  if (!config) {
    console.error(
      'images: no local cluster runs: start it with bash scripts/cluster.sh up (or set KUBECONFIG)',
    );
    return 2;
  }
  const cluster = attachLocalCluster(config);
  const started = Date.now();
  say(`building what is missing of ${OVERLAY_IMAGES.length} images (cached; a cold build takes minutes)`);
  const images = await clusterImages(OVERLAY_IMAGES.map((o) => o.image));
  await importClusterImages(cluster, images);
  for (const image of images) {
    const what = image.standinFor
      ? `STAND-IN for ${image.standinFor}, built here from Debian packages (no registry can be pulled from)`
      : image.note;
    say(`  ${image.image}  ${what}`);
  }
  for (const dir of await prepareLocalVolumes()) say(`local volume directory ${dir}`);
  say(`${images.length} images are in the node (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return 0;
}

// --- internal ---

const say = (line: string) => console.error(`images: ${line}`);
