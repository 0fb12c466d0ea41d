import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildahImageArchive, type LocalCluster } from '@scrapegrid/local-cluster';
import { K8S_DIR } from '../rendered-variants.ts';

const run = promisify(execFile);
const ROOT = join(K8S_DIR, '..');

/** The tag of the selenium images the overlays name (stand-ins built here: no registry can be pulled from). */
export const SELENIUM_TAG = '4.48.0-20260905';

/**
 * Builds the images a cluster test runs (ours from images/, and the selenium stand-ins, since no
 * registry can be pulled from here) into buildah's storage. Each test file calls it itself, so no
 * file depends on another having run first; a build whose layers are cached takes seconds.
 * Called before startLocalCluster, so a cold build does not hold the one cluster lock.
 */
export async function buildClusterImages(ours: readonly string[]): Promise<void> {
  const options = { timeout: 1_800_000, maxBuffer: 64 << 20 };
  await run('bash', [join(ROOT, 'scripts/build-images.sh'), '--standin-bases', ...ours], options);
  await run('bash', [join(ROOT, 'images/standin/selenium/build-selenium-standins.sh')], options);
}

/** What the shared-Grid overlays (grid-keda, grid-keda-exporter) run: hub, Chrome nodes, exporter, pod-tools. */
export const SHARED_GRID_IMAGES = [
  `selenium/hub:${SELENIUM_TAG}`,
  `selenium/node-chrome:${SELENIUM_TAG}`,
  'scrapegrid/grid-exporter:0.1.0',
  'scrapegrid/pod-tools:0.1.0',
] as const;

/** An image exported from buildah's storage, and the name the node's containerd must know it by. */
export interface ClusterImage {
  archive: string;
  name: string;
}

/**
 * Exports `images` (e.g. `scrapegrid/pod-tools:0.1.0`, built as `localhost/<image>`) to archives
 * named as a manifest's `image: <image>` resolves (`docker.io/<image>`). Cached by image id.
 */
export async function clusterImages(images: readonly string[]): Promise<ClusterImage[]> {
  return Promise.all(
    images.map(async (image) => {
      const name = `docker.io/${image}`;
      return { archive: await buildahImageArchive(`localhost/${image}`, name), name };
    }),
  );
}

/** Imports the archives into the node's containerd, one at a time (each import unpacks layers). */
export async function importClusterImages(
  cluster: LocalCluster,
  images: readonly ClusterImage[],
): Promise<void> {
  for (const { archive, name } of images) await cluster.importImage(archive, name);
}
