import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { K8S_DIR } from '../rendered-variants.ts';

const run = promisify(execFile);
const ROOT = join(K8S_DIR, '..');

/**
 * Builds the images a cluster test runs (ours from images/, and the selenium stand-ins, since no
 * registry can be pulled from here) into buildah's storage. Each test file calls it itself, so no
 * file depends on another having run first; a build whose layers are cached takes seconds.
 * Called before startLocalCluster, so a cold build does not hold the one cluster lock.
 */
export async function buildClusterImages(ours: readonly string[]): Promise<void> {
  const options = { timeout: 1_800_000, maxBuffer: 64 << 20 };
  await run('bash', [join(ROOT, 'scripts/build-images.sh'), '--standin-bases', ...ours], options);
  await run('bash', [join(ROOT, 'images/standin/selenium/build-selenium-standins.sh')], options);
}
