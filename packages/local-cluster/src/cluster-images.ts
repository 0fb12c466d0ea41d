import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildahImageArchive } from './buildah-image-archive.ts';
import { OVERLAY_IMAGES, type OverlayImage } from './overlay-images.ts';

const run = promisify(execFile);

export class UnknownClusterImage extends Error {
  readonly code = 'UNKNOWN_CLUSTER_IMAGE';
}

/** An image exported from buildah's storage, and the name the node's containerd must know it by. */
export interface ClusterImage extends OverlayImage {
  archive: string;
  name: string;
}

/**
 * Builds what is missing of `images` (OVERLAY_IMAGES' names, e.g. `scrapegrid/pod-tools:0.1.0`)
 * with their scripts, each cached by content (a build whose inputs are unchanged takes seconds),
 * and exports them to archives named as a manifest's `image:` resolves (`docker.io/<image>`,
 * `docker.io/library/<image>` for a name without a slash). Archives are cached by image id.
 * Call it before taking the cluster lock: a cold build takes minutes.
 */
export async function clusterImages(images: readonly string[]): Promise<ClusterImage[]> {
  const wanted = images.map((image) => {
    const known = OVERLAY_IMAGES.find((o) => o.image === image);
    if (!known) throw new UnknownClusterImage(`no build is known for ${image} (OVERLAY_IMAGES)`);
    return known;
  });
  // One run per script: build-images.sh takes all of ours at once; a stand-in script builds its set.
  const builds = new Map<string, string[]>();
  for (const { build } of wanted) {
    const [script = '', ...args] = build;
    builds.set(script, [...new Set([...(builds.get(script) ?? []), ...args])]);
  }
  const options = { timeout: 1_800_000, maxBuffer: 64 << 20 };
  for (const [script, args] of builds) await run('bash', [join(ROOT, script), ...args], options);
  return Promise.all(
    wanted.map(async (image) => {
      const name = `docker.io/${image.image.includes('/') ? '' : 'library/'}${image.image}`;
      return { ...image, archive: await buildahImageArchive(`localhost/${image.image}`, name), name };
    }),
  );
}

// --- internal ---

const ROOT = join(import.meta.dirname, '..', '..', '..');
