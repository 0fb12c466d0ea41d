import { chmod, copyFile, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';

export class InstallError extends Error {
  readonly code = 'INSTALL_FAILED';
}

/**
 * Copies the running single executable into `dir` (an emptyDir the sidecars mount), for an init
 * container that has no shell to run `cp`. Copies under a temporary name then renames, so a
 * container never runs a half-copied file. Returns the installed path.
 */
export async function installExecutable(
  executable: string,
  dir: string,
  name = 'sidecar-reaper',
): Promise<string> {
  const target = join(dir, name);
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await copyFile(executable, temporary);
    await chmod(temporary, 0o755);
    await rename(temporary, target);
  } catch (error) {
    throw new InstallError(`could not install ${executable} into ${dir}`, { cause: error });
  }
  return target;
}
