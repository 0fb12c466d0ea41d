import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '@scrapegrid/program-kit';

/**
 * Fails fast (ConfigError → exit 2) when the reaper could never see the sentinel: the directory
 * (or, while it does not exist yet, its nearest existing ancestor) must be a readable, searchable
 * directory. Returns the directory that exists now.
 */
export async function checkSentinelDirectory(sentinelPath: string): Promise<string> {
  for (let dir = dirname(sentinelPath); ; dir = dirname(dir)) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(dir)).isDirectory();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && dir !== dirname(dir)) continue;
      throw new ConfigError(`cannot look at ${dir} (on the way to the sentinel ${sentinelPath})`, {
        cause: error,
      });
    }
    if (!isDirectory) {
      throw new ConfigError(`${dir} is not a directory, so the sentinel ${sentinelPath} can never appear`);
    }
    try {
      await access(dir, constants.R_OK | constants.X_OK);
    } catch (error) {
      throw new ConfigError(
        `the sentinel directory ${dir} is not readable by uid ${process.getuid?.()}: mount the shared volume readable (e.g. fsGroup) or change --sentinel-path`,
        { cause: error },
      );
    }
    return dir;
  }
}
