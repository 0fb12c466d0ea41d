import { mkdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Sentinel } from './sentinel.ts';

/**
 * Writes the sentinel atomically (write-file-atomic: a temporary file beside it, flushed, renamed
 * over the final name), so a watcher never reads a half-written file; the temporary name differs
 * from the sentinel's, so watchers that look for that name ignore it.
 */
export async function writeSentinel(path: string, sentinel: Sentinel): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, _text(sentinel), { mode: 0o644 });
}

/** The same, synchronously: for last words just before a forced process.exit. */
export function writeSentinelSync(path: string, sentinel: Sentinel): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic.sync(path, _text(sentinel), { mode: 0o644 });
}

// --- internal ---

function _text(sentinel: Sentinel): string {
  return `${JSON.stringify(sentinel)}\n`;
}
