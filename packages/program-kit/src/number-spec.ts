import { ConfigError } from './config-error.ts';
import type { Setting } from './setting.ts';

/** What readNumber and readInteger accept. */
export interface NumberSpec {
  /** The value when the setting is unset or blank. */
  readonly fallback: number;
  readonly min?: number;
  readonly max?: number;
}

/**
 * Returns `value` when it is a finite `kind` in the spec's range; otherwise the ConfigError both
 * readers throw, naming the setting, what it takes and what it got.
 */
export function checkNumber(
  setting: Setting,
  value: number,
  ok: boolean,
  kind: string,
  spec: NumberSpec,
): number {
  const { min, max } = spec;
  if (
    ok &&
    Number.isFinite(value) &&
    (min === undefined || value >= min) &&
    (max === undefined || value <= max)
  ) {
    return value;
  }
  const range =
    min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
        ? ` of at least ${min}`
        : max !== undefined
          ? ` of at most ${max}`
          : '';
  throw new ConfigError(`${setting.name} must be ${kind}${range}, got ${JSON.stringify(setting.raw)}`);
}
