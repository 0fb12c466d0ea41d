export { ConfigError } from './config-error.ts';
export { DeadlineReachedError } from './deadline-reached-error.ts';
export type { DrainAnswer } from './drain-answer.ts';
export { DrainRefusedError } from './drain-refused-error.ts';
export { createGridHttp, type GridHttp, type HttpAnswer } from './grid-http.ts';
export { HttpError } from './http-error.ts';
export { type Command, parseCommandLine, USAGE } from './parse-command-line.ts';
export {
  DEFAULTS,
  type DrainHookConfig,
  type DrainHookFlags,
  parseConfig,
  redactConfig,
} from './parse-config.ts';
export { type DrainDeps, type DrainOutcome, runDrain } from './run-drain.ts';
