import { PlaceholderSecretError } from './placeholder-secret-error.ts';

/**
 * The value, unless it is still the placeholder a shipped Secret holds (it starts with
 * `replace-me`, any case, after blanks): then a PlaceholderSecretError naming `what` (the variable,
 * or e.g. "the password in WORKER_GRID_URL") and, when known, `from`, where the user sets it
 * ("the Secret selenium-grid-router"). Never the value, though the placeholder is public: the
 * same message then serves every secret. Undefined passes through.
 */
export function refusePlaceholder<T extends string | undefined>(what: string, value: T, from?: string): T {
  if (value?.trimStart().toLowerCase().startsWith(PLACEHOLDER)) {
    const where = from === undefined ? 'set a real value' : `set it in ${from}`;
    throw new PlaceholderSecretError(
      `${what} is still the shipped placeholder; ${where} (k8s/README.md, Security)`,
    );
  }
  return value;
}

// --- internal ---

const PLACEHOLDER = 'replace-me';
