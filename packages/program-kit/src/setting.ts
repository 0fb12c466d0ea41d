/**
 * One setting as a program was given it: `raw` is the text (or a switch's boolean) and `name` the
 * flag or environment variable it came from, so a reader's error names what the user set.
 */
export interface Setting<T extends string | boolean = string> {
  readonly name: string;
  readonly raw: T | undefined;
}

/**
 * The setting a flag and its environment variable give together: the flag wins when it was given,
 * and the message of any reader then names the flag; otherwise the variable.
 */
export function pickSetting<V extends object, F extends keyof V & string>(
  flags: V,
  flag: F,
  env: Readonly<Record<string, string | undefined>>,
  variable: string,
): Setting<Extract<V[F], string | boolean> | string> {
  const value = flags[flag];
  if (typeof value === 'string' || typeof value === 'boolean') {
    return { name: `--${flag}`, raw: value as Extract<V[F], string | boolean> };
  }
  return { name: variable, raw: env[variable] };
}
