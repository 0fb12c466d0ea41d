import { ConfigError } from './config-error.ts';
import { readNonEmpty } from './read-non-empty.ts';
import type { Setting } from './setting.ts';

/**
 * One of a fixed set of words (a log level, a log format), exactly as listed, or `fallback` when
 * the setting is unset or blank; ConfigError naming the setting and every choice otherwise.
 */
export function readChoice<C extends string>(setting: Setting, choices: readonly C[], fallback: C): C {
  const text = readNonEmpty(setting.raw);
  if (text === undefined) return fallback;
  if ((choices as readonly string[]).includes(text)) return text as C;
  throw new ConfigError(
    `${setting.name} must be one of ${choices.join(', ')}, got ${JSON.stringify(setting.raw)}`,
  );
}
