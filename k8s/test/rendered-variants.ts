import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { K8sObject } from './k8s-object.ts';
import { renderKustomization } from './render-kustomization.ts';

/** The overlays users apply (`kubectl apply -k k8s/overlays/<name>`). */
export const OVERLAYS = [
  'scrape-job',
  'scrape-job-native',
  'scrape-job-cron',
  'scrape-job-shared-grid',
  'grid-keda',
  'grid-keda-exporter',
  'grid-keda-push',
  'grid-keda-scaledjob',
  'demo',
] as const;

/**
 * Overlays applied beside a Grid overlay, in its namespace: they bring neither the namespace nor
 * the shared NetworkPolicies (the Grid overlay's are theirs too), only their own objects. Each is
 * checked together with every Grid overlay it runs beside.
 */
export const BESIDE_A_GRID: Readonly<Partial<Record<(typeof OVERLAYS)[number], readonly string[]>>> = {
  'scrape-job-shared-grid': ['grid-keda', 'grid-keda-exporter', 'grid-keda-push', 'grid-keda-scaledjob'],
};

export interface RenderedVariant {
  /** The overlay name, with `+optional` when its commented-out components were enabled. */
  name: string;
  overlay: (typeof OVERLAYS)[number];
  objects: K8sObject[];
}

/**
 * Every overlay as shipped, plus every overlay that has optional components (the
 * `# - ../../components/…` lines its README tells users to uncomment) with all of them enabled,
 * rendered once per test file. The optional variants are rendered from a copy of k8s/ with those
 * lines uncommented: exactly what a user does.
 */
export function renderedVariants(): Promise<readonly RenderedVariant[]> {
  cached ??= renderAll();
  return cached;
}

export const K8S_DIR = fileURLToPath(new URL('..', import.meta.url));

// --- internal ---

let cached: Promise<readonly RenderedVariant[]> | undefined;

const OPTIONAL_COMPONENT = /^(\s*)# (- \.\.\/\.\.\/components\/\S+)\s*$/gm;

async function renderAll(): Promise<readonly RenderedVariant[]> {
  const variants: RenderedVariant[] = [];
  const copy = await mkdtemp(join(tmpdir(), 'scrapegrid-k8s-'));
  try {
    for (const part of ['base', 'components', 'overlays']) {
      await cp(join(K8S_DIR, part), join(copy, part), { recursive: true });
    }
    for (const overlay of OVERLAYS) {
      variants.push({
        name: overlay,
        overlay,
        objects: await renderKustomization(join(K8S_DIR, 'overlays', overlay)),
      });
      const file = join(copy, 'overlays', overlay, 'kustomization.yaml');
      const text = await readFile(file, 'utf8');
      const enabled = text.replace(OPTIONAL_COMPONENT, '$1$2');
      if (enabled === text) continue;
      await writeFile(file, enabled);
      variants.push({
        name: `${overlay}+optional`,
        overlay,
        objects: await renderKustomization(join(copy, 'overlays', overlay)),
      });
    }
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
  return variants;
}
