import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot } from './cache-root.ts';
import { exportImage } from './export-image.ts';

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
  const archive = join(
    cacheRoot(),
    'cluster-images',
    `${name.replace(/[^\w.-]/g, '_')}-${id.slice(0, 16)}.tar`,
  );
  if (!existsSync(archive)) await exportImage(ref, archive, name);
  return archive;
}
