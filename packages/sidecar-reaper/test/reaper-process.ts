import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SpawnTrackedOptions, spawnTracked, type TrackedProcess } from '@scrapegrid/test-support';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// What ships is the pod-tools executable (it depends on this package, so this is a path into
// its build output, not a dependency). Sources it is built from besides ours are checked too.
const binary = fileURLToPath(new URL('../../pod-tools/dist/pod-tools', import.meta.url));
const sourceDirs = ['src', '../program-kit/src', '../pod-tools/src'].map((d) => join(packageDir, d));
const mainTs = join(packageDir, 'src', 'main.ts');

/**
 * How tests run the reaper: the single executable when it was built after the last source change
 * (what ships), otherwise `node src/main.ts` (so a stale binary never tests old code).
 */
export function reaperCommand(): { kind: 'binary' | 'source'; command: string; args: string[] } {
  if (existsSync(binary)) {
    const built = statSync(binary).mtimeMs;
    const newest = Math.max(
      ...sourceDirs.flatMap((src) =>
        readdirSync(src)
          .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
          .map((f) => statSync(join(src, f)).mtimeMs),
      ),
    );
    // scripts/build-sea.ts renames the executable into place only once it is complete.
    if (built >= newest) return { kind: 'binary', command: binary, args: ['sidecar-reaper'] };
  }
  return { kind: 'source', command: process.execPath, args: [mainTs] };
}

export interface ReaperProcess extends TrackedProcess {
  /** The reaper's own JSON log lines (stderr), parsed. */
  logs(): Record<string, unknown>[];
}

export function startReaper(
  args: readonly string[],
  options: SpawnTrackedOptions & { prefix?: string[] } = {},
): ReaperProcess {
  const { command, args: base } = reaperCommand();
  const prefix = options.prefix ?? [];
  const proc = prefix.length
    ? spawnTracked(
        'sidecar-reaper',
        prefix[0] as string,
        [...prefix.slice(1), command, ...base, ...args],
        options,
      )
    : spawnTracked('sidecar-reaper', command, [...base, ...args], options);
  return Object.assign(proc, {
    logs: () =>
      proc
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{"level"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  });
}
