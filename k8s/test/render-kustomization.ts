import { spawnTracked } from '@scrapegrid/test-support';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from './k8s-object.ts';

/**
 * Renders a kustomization directory with the machine's `kubectl kustomize` (the same code path as
 * `kubectl apply -k`) and parses every document. Throws with kustomize's own message on failure.
 */
export async function renderKustomization(dir: string): Promise<K8sObject[]> {
  let stdout = '';
  let stderr = '';
  const kubectl = spawnTracked('kubectl-kustomize', 'kubectl', ['kustomize', dir], {
    onOutput: (chunk, stream) => {
      if (stream === 'stdout') stdout += chunk;
      else stderr += chunk;
    },
  });
  const timer = setTimeout(() => void kubectl.stop(1_000), RENDER_TIMEOUT_MS);
  const exit = await kubectl.exited;
  clearTimeout(timer);
  await kubectl.stop(0);
  if (exit.code !== 0) {
    throw new Error(`kubectl kustomize ${dir} failed (${JSON.stringify(exit)}): ${stderr.trim()}`);
  }
  return parseAllDocuments(stdout)
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

// --- internal ---

const RENDER_TIMEOUT_MS = 30_000;
