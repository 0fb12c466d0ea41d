export { ConfigError } from './config-error.ts';
export { type Command, parseCommandLine, USAGE } from './parse-command-line.ts';
export {
  DEFAULTS,
  type DrainHookConfig,
  type DrainHookFlags,
  parseConfig,
  redactConfig,
} from './parse-config.ts';
