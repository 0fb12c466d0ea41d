// Its own package so that test-support, which program-kit's tests use, can stop groups the same way.
export {
  type GroupStopped,
  type StoppableGroup,
  signalProcessGroup,
  stopProcessGroup,
} from '@scrapegrid/process-group';
export { ConfigError } from './config-error.ts';
export { createLogger, LOG_FORMATS, LOG_LEVELS, type LogFormat, type LoggerSpec } from './create-logger.ts';
export { onShutdown, type ShutdownSpec } from './graceful-shutdown.ts';
export { InstallError, installExecutable } from './install-executable.ts';
export { type KubeAccessSpec, loadKubeConfig } from './load-kube-config.ts';
export type { NumberSpec } from './number-spec.ts';
export { PlaceholderSecretError } from './placeholder-secret-error.ts';
export { readBoolean } from './read-boolean.ts';
export { type CaBundle, readCaFile } from './read-ca-file.ts';
export { readChoice } from './read-choice.ts';
export { type CommandLine, type CommandLineSpec, readCommandLine } from './read-command-line.ts';
export { readInteger } from './read-integer.ts';
export { readNonEmpty } from './read-non-empty.ts';
export { readNumber } from './read-number.ts';
export { readSecret } from './read-secret.ts';
export { readUrl, type UrlSpec } from './read-url.ts';
export { redactUrl } from './redact-url.ts';
export { refusePlaceholder } from './refuse-placeholder.ts';
export { runMain } from './run-main.ts';
export { pickSetting, type Setting } from './setting.ts';
