import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../cache-root.ts';
import { packageScript } from '../package-scripts.ts';
import { kedaVersion } from './keda-version.ts';

/** Raised when KEDA has not been built into the cache; the message names the command that builds it. */
export class KedaBuildMissing extends Error {
  readonly code = 'KEDA_BUILD_MISSING';
}

export interface KedaImage {
  /** The name KEDA's manifests (scripts/keda/deploy) refer to the image by. */
  readonly name: string;
  /** An OCI archive containerd's `ctr images import` reads. */
  readonly archive: string;
}

export interface KedaBuild {
  /** The pinned module version, e.g. `v2.21.0` (scripts/keda/version.sh). */
  readonly version: string;
  /** `<cache>/keda-<version>`: bin/, config/ (the module's), images/. */
  readonly dir: string;
  readonly images: readonly KedaImage[];
  /** scripts/keda/deploy: the kustomization laid over the module's config/minimal. */
  readonly deployDir: string;
}

/**
 * Where scripts/keda/build-images.sh left KEDA (binaries, the module's config/, the two image
 * archives), each published whole with its `.complete`. Throws KedaBuildMissing when any of it is
 * absent: building takes long (every scaler's SDK is compiled), so tests never start it on their own.
 */
export function kedaBuild(): KedaBuild {
  const version = kedaVersion();
  const dir = join(cacheRoot(), `keda-${version}`);
  const tag = version.replace(/^v/, '');
  const images = ['keda', 'keda-metrics-apiserver'].map((name) => ({
    name: `localhost/kedacore/${name}:${tag}`,
    archive: join(dir, 'images', `${name}.tar`),
  }));
  const needed = [join(dir, '.complete'), join(dir, 'images', '.complete')];
  const missing = needed.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new KedaBuildMissing(
      `KEDA ${version} is not built (missing ${missing.join(', ')}); run: bash packages/local-cluster/scripts/keda/build-images.sh`,
    );
  }
  return { version, dir, images, deployDir: packageScript('keda/deploy') };
}
