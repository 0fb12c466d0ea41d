/** The configuration cannot work; the message says which setting to fix. Exit code 2. */
export class ConfigError extends Error {
  readonly code = 'DRAIN_HOOK_CONFIG';
}
