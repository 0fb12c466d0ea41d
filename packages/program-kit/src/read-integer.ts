import { checkNumber, type NumberSpec } from './number-spec.ts';
import { readNonEmpty } from './read-non-empty.ts';
import type { Setting } from './setting.ts';

/**
 * A whole number written as digits (optionally signed: no `1e3`, no `0x10`, no `2.0`) within the
 * spec's `min`..`max`, or its `fallback` when the setting is unset or blank.
 */
export function readInteger(setting: Setting, spec: NumberSpec): number {
  const text = readNonEmpty(setting.raw);
  if (text === undefined) return spec.fallback;
  return checkNumber(setting, Number(text), /^[-+]?\d+$/.test(text), 'an integer', spec);
}
