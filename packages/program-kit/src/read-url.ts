import { ConfigError } from './config-error.ts';
import { readNonEmpty } from './read-non-empty.ts';
import { redactUrl } from './redact-url.ts';
import { refusePlaceholder } from './refuse-placeholder.ts';
import type { Setting } from './setting.ts';

export interface UrlSpec {
  /** The schemes taken, with their colon (default http: and https:). */
  readonly protocols?: readonly string[];
}

/**
 * An absolute URL with one of the spec's schemes, returned as given (trimmed), or undefined when
 * the setting is unset or blank. A bad one is named in its ConfigError through redactUrl, so a
 * password in it never reaches a message, even when the URL cannot be parsed. A password in a URL
 * given as a flag (a setting named `--…`, as pickSetting names it) is refused: the command line is
 * no place for a secret, `ps` shows it to every user. A password still the shipped `replace-me`
 * placeholder is refused (refusePlaceholder).
 */
export function readUrl(setting: Setting, spec: UrlSpec = {}): string | undefined {
  const text = readNonEmpty(setting.raw);
  if (text === undefined) return undefined;
  const protocols = spec.protocols ?? ['http:', 'https:'];
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || !protocols.includes(url.protocol) || url.host === '') {
    const schemes = protocols.map((p) => p.replace(/:$/, '')).join(' or ');
    throw new ConfigError(
      `${setting.name} must be an ${schemes} URL, got ${JSON.stringify(redactUrl(text))}`,
    );
  }
  if (setting.name.startsWith('--') && url.password) {
    throw new ConfigError(
      `${setting.name} ${JSON.stringify(redactUrl(text))} holds a password, and ps shows every command line: give this URL in the environment (see --help)`,
    );
  }
  if (url.password !== '') refusePlaceholder(`the password in ${setting.name}`, _decoded(url.password));
  return text;
}

// --- internal ---

/** The password as the server gets it (`replace%2Dme` is the placeholder too). */
function _decoded(password: string): string {
  try {
    return decodeURIComponent(password);
  } catch {
    return password;
  }
}
