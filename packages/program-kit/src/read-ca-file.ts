import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.ts';
import { readNonEmpty } from './read-non-empty.ts';
import type { Setting } from './setting.ts';

/** A PEM bundle to trust for https, and the file it came from (for the log: the PEM is long). */
export interface CaBundle {
  readonly file: string;
  readonly pem: string;
}

/**
 * Reads the CA file a setting names, once, while the configuration is read: a missing or
 * unreadable file is bad configuration (exit 2), not a failure at the first https call.
 * Undefined when the setting is unset or blank.
 */
export function readCaFile(setting: Setting): CaBundle | undefined {
  const file = readNonEmpty(setting.raw);
  if (file === undefined) return undefined;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${setting.name}: cannot read the CA file ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return Object.freeze({ file, pem });
}
