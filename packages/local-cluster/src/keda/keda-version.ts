import { execFileSync } from 'node:child_process';
import { packageScript } from '../package-scripts.ts';

/** The pinned KEDA release (`v2.21.0`), read from scripts/keda/version.sh the way the build scripts source it. */
export function kedaVersion(): string {
  return execFileSync(
    'bash',
    ['-c', '. "$1" && echo "$KEDA_VERSION"', 'keda-version', packageScript('keda/version.sh')],
    {
      encoding: 'utf8',
    },
  ).trim();
}
