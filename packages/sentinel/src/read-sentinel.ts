import { readFile } from 'node:fs/promises';
import { parseSentinel, type Sentinel } from './sentinel.ts';

/** Reads the sentinel; undefined when there is none yet, SentinelError when it is malformed. */
export async function readSentinel(path: string): Promise<Sentinel | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseSentinel(text);
}
