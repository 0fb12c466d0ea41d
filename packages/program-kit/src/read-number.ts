import { checkNumber, type NumberSpec } from './number-spec.ts';
import { readNonEmpty } from './read-non-empty.ts';
import type { Setting } from './setting.ts';

/**
 * A decimal number (`2.5`, `1e3`) within the spec's `min`..`max`, or its `fallback` when the
 * setting is unset or blank; ConfigError naming the setting and the range otherwise.
 */
export function readNumber(setting: Setting, spec: NumberSpec): number {
  const text = readNonEmpty(setting.raw);
  if (text === undefined) return spec.fallback;
  return checkNumber(setting, Number(text), true, 'a number', spec);
}
