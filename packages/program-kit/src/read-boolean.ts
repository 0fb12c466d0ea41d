import { ConfigError } from './config-error.ts';
import type { Setting } from './setting.ts';

/**
 * The one spelling of a yes/no setting in every program (program-kit's README): `true`, `yes`,
 * `1` and `false`, `no`, `0`, in any case; unset or blank is `fallback`; a bare switch on the
 * command line (`--insecure`) arrives as `true`. Anything else is a ConfigError: a typo such as
 * `flase` must not quietly mean one or the other.
 */
export function readBoolean(setting: Setting<string | boolean>, fallback = false): boolean {
  const { raw } = setting;
  if (typeof raw === 'boolean') return raw;
  const text = (raw ?? '').trim().toLowerCase();
  if (text === '') return fallback;
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  throw new ConfigError(
    `${setting.name} must be true or false (also yes/no, 1/0), got ${JSON.stringify(raw)}`,
  );
}

/** The words readBoolean takes, lower case; readCommandLine uses them to catch `--switch true`. */
export const BOOLEAN_WORDS: readonly string[] = Object.freeze(['true', 'yes', '1', 'false', 'no', '0']);

// --- internal ---

const TRUE = BOOLEAN_WORDS.slice(0, 3);
const FALSE = BOOLEAN_WORDS.slice(3);
