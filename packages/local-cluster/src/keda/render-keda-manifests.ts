import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubectlClient } from '../kubectl-client.ts';
import type { KedaBuild } from './keda-build.ts';

/**
 * KEDA's install manifests: scripts/keda/deploy laid over the built module's config/minimal,
 * rendered by the cluster's kubectl (`kubectl kustomize`). The deploy directory refers to
 * ../config, so both are copied side by side first; it cannot be rendered in the repository.
 */
export async function renderKedaManifests(
  build: KedaBuild,
  client: Pick<KubectlClient, 'kubectl'>,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'keda-render-'));
  try {
    await cp(join(build.dir, 'config'), join(dir, 'config'), { recursive: true });
    await cp(build.deployDir, join(dir, 'deploy'), { recursive: true });
    const kustomization = join(dir, 'deploy', 'kustomization.yaml');
    const text = await readFile(kustomization, 'utf8');
    await writeFile(kustomization, text.replaceAll('KEDA_IMAGE_TAG', build.version.replace(/^v/, '')));
    return await client.kubectl(['kustomize', join(dir, 'deploy')], { timeoutMs: 60_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
