export { drainHookCli } from './drain-hook-cli.ts';
export { type Command, parseCommandLine, USAGE } from './parse-command-line.ts';
export {
  DEFAULTS,
  type DrainHookConfig,
  type DrainHookFlags,
  parseConfig,
  REDACT,
} from './parse-config.ts';
