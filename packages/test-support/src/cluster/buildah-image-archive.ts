import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { clusterCacheRoot } from './cluster-binaries.ts';

const run = promisify(execFile);

export class ImageNotBuilt extends Error {
  readonly code = 'IMAGE_NOT_BUILT';
}

/**
 * An OCI archive of an image in buildah's local storage (where scripts/build-images.sh and the
 * stand-in scripts put them), named `name` inside, for `LocalCluster.importImage`. Cached in the
 * cache directory by image id: an unchanged image is exported once.
 */
export async function buildahImageArchive(ref: string, name: string): Promise<string> {
  const buildah = ['--storage-driver', process.env.STORAGE_DRIVER ?? 'vfs'];
  const id = await run('buildah', [
    ...buildah,
    'inspect',
    '--type',
    'image',
    '--format',
    '{{.FromImageID}}',
    ref,
  ]).then(
    (r) => r.stdout.trim(),
    () => {
      throw new ImageNotBuilt(
        `the image ${ref} is not in buildah's storage: build it first (scripts/build-images.sh --standin-bases, images/standin/selenium/build-selenium-standins.sh)`,
      );
    },
  );
  const dir = join(clusterCacheRoot(), 'cluster-images');
  await mkdir(dir, { recursive: true });
  const archive = join(dir, `${name.replace(/[^\w.-]/g, '_')}-${id.slice(0, 16)}.tar`);
  if (!existsSync(archive)) {
    await run('buildah', [...buildah, 'push', '--quiet', ref, `oci-archive:${archive}.part:${name}`], {
      timeout: 900_000,
    });
    await rename(`${archive}.part`, archive);
  }
  return archive;
}
