import { mkdir, open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Sentinel } from './sentinel.ts';

/**
 * Writes the sentinel atomically: a temporary file in the same directory, flushed to disk, then
 * renamed over the final name, so a watcher never reads a half-written file. The temporary name
 * starts with '.' and ends in '.tmp' so watchers can ignore it.
 */
export async function writeSentinel(path: string, sentinel: Sentinel): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const file = await open(temporary, 'w', 0o644);
  try {
    await file.writeFile(`${JSON.stringify(sentinel)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
}
