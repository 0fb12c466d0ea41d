import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
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
  const dir = join(cacheRoot(), 'cluster-images');
  const stem = name.replace(/[^\w.-]/g, '_');
  const file = `${stem}-${id.slice(0, 16)}.tar`;
  const archive = join(dir, file);
  if (existsSync(archive)) return archive;
  await exportImage(ref, archive, name);
  await dropOlderArchives(dir, stem, file);
  return archive;
}

/**
 * Each rebuild of an image has a new id, so a new archive: a machine that builds every commit
 * would keep them all (tens of GiB in a day). The one just written replaces the others of `stem`.
 */
export async function dropOlderArchives(dir: string, stem: string, keep: string): Promise<void> {
  const older = new RegExp(`^${stem.replace(/[.]/g, '\\.')}-[0-9a-f]{16}\\.tar$`);
  for (const file of await readdir(dir))
    if (file !== keep && older.test(file)) await rm(join(dir, file), { force: true });
}
