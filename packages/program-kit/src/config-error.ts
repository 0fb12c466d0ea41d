/**
 * The one error for configuration a program cannot work with: flags, environment, files named by
 * them. `runMain` turns it into exit code 2 and a message the user acts on; callers branch on `code`
 * (CONFIG_INVALID, or a subclass's own, e.g. PlaceholderSecretError's SECRET_PLACEHOLDER).
 */
export class ConfigError extends Error {
  readonly code: string = 'CONFIG_INVALID';
  override readonly name: string = 'ConfigError';
  /** The exit code every program uses for bad configuration. */
  static readonly exitCode = 2;
}
