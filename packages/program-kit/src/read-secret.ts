import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.ts';
import { refusePlaceholder } from './refuse-placeholder.ts';

/**
 * A secret (password, token) from the environment: the variable itself, or the file named by
 * `<variable>_FILE` (a mounted Secret, so the value is in no process environment either).
 * Never from a flag: `ps` shows every process's command line. One trailing newline of the file is
 * dropped (`echo` and most editors add it). Undefined when neither is set; both set, or a file that
 * cannot be read, is a ConfigError that names the variables and the path, never the value. A value
 * still the shipped `replace-me` placeholder is refused (refusePlaceholder; `from` says where the
 * user sets it, e.g. "the Secret selenium-grid-router").
 */
export function readSecret(
  env: Readonly<Record<string, string | undefined>>,
  variable: string,
  from?: string,
): string | undefined {
  const fileVariable = `${variable}_FILE`;
  const value = env[variable];
  const file = env[fileVariable]?.trim() || undefined;
  if (value !== undefined && value !== '' && file !== undefined) {
    throw new ConfigError(`set ${variable} or ${fileVariable}, not both`);
  }
  if (file === undefined) return refusePlaceholder(variable, value === '' ? undefined : value, from);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new ConfigError(`${fileVariable}: cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return refusePlaceholder(`${fileVariable} (the file ${file})`, text, from);
}
