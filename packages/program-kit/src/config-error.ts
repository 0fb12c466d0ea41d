/**
 * The one error for configuration a program cannot work with: flags, environment, files named by
 * them. `runMain` turns it into exit code 2 and a message the user acts on; callers branch on `code`.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  override readonly name = 'ConfigError';
  /** The exit code every program uses for bad configuration. */
  static readonly exitCode = 2;
}
