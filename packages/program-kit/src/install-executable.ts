import { chmod, copyFile, mkdir, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isSea } from 'node:sea';
import { ConfigError } from './config-error.ts';

export class InstallError extends Error {
  readonly code = 'INSTALL_FAILED';
  override readonly name = 'InstallError';
}

/**
 * Copies the running single executable into `dir` as `name` (an init container filling an
 * emptyDir has no shell to run `cp`), plus a symlink for each of `aliases` pointing at it, so one
 * copy answers to several program names. Copied under a temporary name then renamed: a container
 * never runs a half-copied file. Returns the installed paths, the executable first.
 */
export async function installExecutable(
  dir: string,
  name: string,
  aliases: readonly string[] = [],
  executable = process.execPath,
): Promise<string[]> {
  if (executable === process.execPath && !isSea()) {
    // Run as `node main.ts`, the running executable is Node itself, not the program.
    throw new ConfigError(`install works only from the built executable (dist/${name})`);
  }
  const target = join(dir, name);
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await copyFile(executable, temporary);
    await chmod(temporary, 0o755);
    await rename(temporary, target);
    const links: string[] = [];
    for (const alias of aliases) {
      const link = join(dir, alias);
      await rm(link, { force: true });
      // Relative: the volume is mounted at different paths in the init container and the others.
      await symlink(name, link);
      links.push(link);
    }
    return [target, ...links];
  } catch (error) {
    await rm(temporary, { force: true });
    throw new InstallError(`could not install ${executable} into ${dir}`, { cause: error });
  }
}
