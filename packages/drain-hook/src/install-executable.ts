import { chmodSync, copyFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { isSea } from 'node:sea';
import { ConfigError } from './config-error.ts';

/**
 * Copies the running single executable to `<dir>/drain-hook`, so an init container can put it in
 * a shared volume with no shell or `cp` in its image. Returns the destination.
 */
export function installExecutable(dir: string): string {
  if (!isSea()) {
    // Run as `node main.ts`, the running executable is Node itself, not drain-hook.
    throw new ConfigError(
      'install works only from the built executable (packages/drain-hook/dist/drain-hook)',
    );
  }
  mkdirSync(dir, { recursive: true });
  const destination = join(dir, 'drain-hook');
  // Copy then rename: a reader never sees a half-written executable.
  const partial = `${destination}.partial`;
  copyFileSync(process.execPath, partial);
  chmodSync(partial, 0o755);
  renameSync(partial, destination);
  return destination;
}
