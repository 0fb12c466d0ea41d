import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Raised when KEDA has not been built into the cache; the message names the command that builds it. */
export class KedaBuildMissing extends Error {
  readonly code = 'KEDA_BUILD_MISSING';
}

export interface KedaImage {
  /** The name KEDA's manifests (scripts/keda/deploy) refer to the image by. */
  readonly name: string;
  /** A docker-archive containerd's `ctr images import` reads. */
  readonly archive: string;
}

export interface KedaBuild {
  /** The pinned module version, e.g. `v2.21.0` (scripts/keda/version.sh). */
  readonly version: string;
  /** `<cache>/keda-<version>`: bin/, config/ (the module's), images/. */
  readonly dir: string;
  readonly images: readonly KedaImage[];
  /** scripts/keda/render.sh: prints the install manifests. */
  readonly renderScript: string;
}

/**
 * Where scripts/keda/build-images.sh left KEDA (binaries, the module's config/, the two image
 * archives). Throws KedaBuildMissing when any of it is absent: building takes long (every scaler's
 * SDK is compiled), so tests never start it on their own.
 */
export function kedaBuild(): KedaBuild {
  const scripts = fileURLToPath(new URL('../../../../scripts/keda/', import.meta.url));
  const version = /^KEDA_VERSION=(\S+)$/m.exec(readFileSync(join(scripts, 'version.sh'), 'utf8'))?.[1];
  if (!version) throw new Error(`no KEDA_VERSION line in ${join(scripts, 'version.sh')}`);
  const dir = join(process.env.SCRAPEGRID_CACHE ?? '/var/cache/scrapegrid', `keda-${version}`);
  const tag = version.replace(/^v/, '');
  const images = ['keda', 'keda-metrics-apiserver'].map((name) => ({
    name: `localhost/kedacore/${name}:${tag}`,
    archive: join(dir, 'images', `${name}.tar`),
  }));
  const needed = [join(dir, 'config', 'minimal', 'kustomization.yaml'), ...images.map((i) => i.archive)];
  const missing = needed.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new KedaBuildMissing(
      `KEDA ${version} is not built (missing ${missing.join(', ')}); run: bash scripts/keda/build-images.sh`,
    );
  }
  return { version, dir, images, renderScript: join(scripts, 'render.sh') };
}
