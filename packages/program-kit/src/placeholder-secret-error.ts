import { ConfigError } from './config-error.ts';

/**
 * A secret is still the placeholder our manifests ship (`replace-me…`): deployed as it is, anyone
 * who has read them could guess it. A ConfigError, so exit 2; its own code so that callers and
 * tests tell it from other configuration errors. The message names the variable, never the value.
 */
export class PlaceholderSecretError extends ConfigError {
  override readonly code = 'SECRET_PLACEHOLDER';
  override readonly name = 'PlaceholderSecretError';
}
