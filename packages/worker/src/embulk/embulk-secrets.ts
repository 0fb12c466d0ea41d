import type { EmbulkSpec } from '../spec/job-spec.ts';

/**
 * The values runEmbulk masks in Embulk's lines: secrets only, so that hosts, ports, users, database
 * names and paths stay readable. A value is secret when
 * - it comes from an environment variable whose name says so (`DB_PASSWORD`, `PGPASSWORD`,
 *   `API_TOKEN`, `AWS_SECRET_ACCESS_KEY`…) and the config uses it (`${env:NAME}`, whole or inside a
 *   URL), or
 * - the config holds it under a setting whose name says so (`password`, `token`,
 *   `secret_access_key`, `apiKey`…), wherever it came from.
 * Longest first, so that a secret containing another is masked whole.
 */
export function embulkSecrets(
  embulk: Pick<EmbulkSpec, 'out' | 'extra'>,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const texts: string[] = [];
  const secrets = new Set<string>();
  _walk({ out: embulk.out, extra: embulk.extra }, false, texts, secrets);
  for (const [name, value] of Object.entries(env)) {
    if (value && _isSecretName(name, 'variable') && texts.some((text) => text.includes(value)))
      secrets.add(value);
  }
  return [...secrets].sort((a, b) => b.length - a.length);
}

// --- internal ---

/**
 * Whether a name names a secret: it contains PASSWORD, TOKEN, SECRET, CREDENTIAL, API_KEY,
 * PRIVATE_KEY, ACCESS_KEY or PASSPHRASE (any case), or one of its words (split at `_`, `-`, `.`
 * and camelCase) is PASS, PW or PWD; a variable also when a word is KEY (`SIGNING_KEY`), a setting
 * not (`key_column`, `sort_key` name columns). `PWD` and `OLDPWD` are the shell's directories.
 */
function _isSecretName(name: string, kind: 'variable' | 'setting'): boolean {
  if (kind === 'variable' && SHELL_DIRECTORIES.has(name)) return false;
  if (SECRET_TEXT.test(name)) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_.-]+/)
    .map((word) => word.toLowerCase());
  return words.some((word) => SECRET_WORDS.has(word) || (kind === 'variable' && word === 'key'));
}

const SECRET_TEXT = /password|passwd|passphrase|token|secret|credential|api_?key|private_?key|access_?key/i;
const SECRET_WORDS = new Set(['pass', 'pw', 'pwd']);
const SHELL_DIRECTORIES = new Set(['PWD', 'OLDPWD']);

/** Collects every string of the config, and the values under secret-named settings. */
function _walk(node: unknown, underSecret: boolean, texts: string[], secrets: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) _walk(item, underSecret, texts, secrets);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, child] of Object.entries(node))
      _walk(child, underSecret || _isSecretName(key, 'setting'), texts, secrets);
  } else if (typeof node === 'string' || typeof node === 'number') {
    const text = String(node);
    texts.push(text);
    if (underSecret && text !== '') secrets.add(text);
  }
}
