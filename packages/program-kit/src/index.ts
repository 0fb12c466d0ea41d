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
export { type CommandLine, type CommandLineSpec, readCommandLine } from './read-command-line.ts';
export { runMain } from './run-main.ts';
