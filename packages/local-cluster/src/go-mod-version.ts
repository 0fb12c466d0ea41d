import { execFileSync } from 'node:child_process';
import { packageScript } from './package-scripts.ts';

/**
 * The version one of our go.mod files pins for `module` (e.g. k8s.io/kubernetes in
 * scripts/kubernetes/go.mod), read by scripts/lib/go-mod-version.sh, which the build scripts use:
 * one reader, so the binaries looked for are the ones built.
 */
export function goModVersion(goMod: string, module: string): string {
  return execFileSync('bash', [packageScript('lib/go-mod-version.sh'), packageScript(goMod), module], {
    encoding: 'utf8',
  }).trim();
}
