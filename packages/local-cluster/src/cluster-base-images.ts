import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot } from './cache-root.ts';
import type { ClusterBinaries } from './cluster-binaries.ts';
import { clusterLayout as L } from './cluster-layout.ts';
import { exportImage } from './export-image.ts';

const run = promisify(execFile);
const RECIPE = 'scratch-copy-user-entrypoint-1';
/** Debian's busybox-static (scripts/setup-system.sh). */
const BUSYBOX = '/bin/busybox';

export interface ClusterImageArchive {
  /** The name pods refer to the image by. */
  readonly name: string;
  /** An OCI archive ctr can import. */
  readonly archive: string;
}

/**
 * The images the cluster itself needs, built here (nothing can be pulled): the pod sandbox image
 * from Kubernetes' own build/pause/linux/pause.c (the module the cluster is built from), CoreDNS
 * (our build) on an empty base, and a busybox image for test pods. Each is an OCI archive in the cache, keyed by its inputs.
 */
export async function clusterBaseImages(bins: ClusterBinaries): Promise<ClusterImageArchive[]> {
  const dir = join(cacheRoot(), 'cluster-images');
  const pauseSource = await kubernetesModuleFile(bins.kubernetesVersion, 'build/pause/linux/pause.c');
  const pauseVersion = L.pauseImage.split(':')[1] as string;
  const pause = await cachedArchive(
    dir,
    'pause',
    L.pauseImage,
    [await readFile(pauseSource), pauseVersion],
    async (ctx) => {
      await run('gcc', [
        '-Os',
        '-Wall',
        '-static',
        `-DVERSION=v${pauseVersion}-scrapegrid`,
        '-o',
        join(ctx, 'pause'),
        pauseSource,
      ]);
      return { files: [['pause', '/pause']], entrypoint: ['/pause'], user: '65535:65535' };
    },
  );
  const coredns = await cachedArchive(
    dir,
    'coredns',
    L.corednsImage,
    [await readFile(bins.coredns)],
    async (ctx) => {
      await run('cp', [bins.coredns, join(ctx, 'coredns')]);
      return {
        files: [['coredns', '/coredns']],
        entrypoint: ['/coredns', '-conf', '/etc/coredns/Corefile'],
        user: '65532:65532',
      };
    },
  );
  const busybox = await cachedArchive(
    dir,
    'busybox',
    L.busyboxImage,
    [await readFile(BUSYBOX)],
    async (ctx) => {
      await run('cp', [BUSYBOX, join(ctx, 'busybox')]);
      return { files: [['busybox', '/bin/busybox']], entrypoint: ['/bin/busybox'], user: '65532:65532' };
    },
  );
  return [pause, coredns, busybox];
}

interface ImageRecipe {
  files: [string, string][];
  entrypoint: string[];
  user: string;
}

async function cachedArchive(
  dir: string,
  label: string,
  name: string,
  inputs: (Buffer | string)[],
  prepare: (contextDir: string) => Promise<ImageRecipe>,
): Promise<ClusterImageArchive> {
  const hash = createHash('sha256');
  // The recipe's shape is part of the key: bump RECIPE when the Containerfile below changes.
  for (const input of [...inputs, name, RECIPE]) hash.update(input);
  const archive = join(dir, `${label}-${hash.digest('hex').slice(0, 16)}.tar`);
  if (existsSync(archive)) return { name, archive };
  const ctx = await mkdtemp(join(tmpdir(), `scrapegrid-${label}-image-`));
  const buildah = ['buildah', '--storage-driver', process.env.STORAGE_DRIVER ?? 'vfs'] as const;
  try {
    const recipe = await prepare(ctx);
    const containerfile = [
      'FROM scratch',
      ...recipe.files.map(([from, to]) => `COPY ${from} ${to}`),
      `USER ${recipe.user}`,
      `ENTRYPOINT ${JSON.stringify(recipe.entrypoint)}`,
    ].join('\n');
    await writeFile(join(ctx, 'Containerfile'), `${containerfile}\n`);
    const tag = `localhost/scrapegrid-cluster-build/${label}:latest`;
    await run(buildah[0], [
      ...buildah.slice(1),
      'bud',
      '--isolation',
      'chroot',
      '--quiet',
      '-t',
      tag,
      '-f',
      join(ctx, 'Containerfile'),
      ctx,
    ]);
    await exportImage(tag, archive, name);
    await run(buildah[0], [...buildah.slice(1), 'rmi', tag]);
    return { name, archive };
  } finally {
    await rm(ctx, { recursive: true, force: true });
  }
}

/** A file of the k8s.io/kubernetes module the cluster was built from (in the Go module cache). */
async function kubernetesModuleFile(version: string, path: string): Promise<string> {
  const { stdout } = await run(
    '/usr/local/go/bin/go',
    ['mod', 'download', '-json', `k8s.io/kubernetes@${version}`],
    {
      maxBuffer: 1 << 20,
    },
  );
  const dir = (JSON.parse(stdout) as { Dir: string }).Dir;
  return join(dir, path);
}
