import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { packageScript } from './package-scripts.ts';

const run = promisify(execFile);

/**
 * Writes the buildah image `ref` as an OCI archive named `name` inside (scripts/lib/export-image.sh,
 * the one export KEDA's images use too). The archive appears whole or not at all.
 */
export async function exportImage(ref: string, archive: string, name: string): Promise<void> {
  await run('bash', [packageScript('lib/export-image.sh'), ref, archive, name], { timeout: 900_000 });
}
