// sidecar-reaper: supervises a sidecar's entrypoint and stops it when the worker is done.
// Only wiring here: parse config, build objects, run, map errors to exit codes.
// (A function, not top-level await: the single executable is a CommonJS bundle.)
import { isSea } from 'node:sea';
import { becomeInitIfPid1 } from './become-init.ts';
import { checkSentinelDirectory } from './check-sentinel-directory.ts';
import { ConfigError, parseConfig, redactConfig, USAGE } from './config.ts';
import { installExecutable } from './install-executable.ts';
import { loadKubeConfig } from './load-kube-config.ts';
import { createLogger } from './logger.ts';
import { runReaper } from './run-reaper.ts';

const EXIT_BAD_CONFIG = 2;

async function main(): Promise<number> {
  const config = parseConfig(process.argv.slice(2), process.env);
  const log = createLogger(config.logLevel);
  if (config.mode === 'install') {
    if (!isSea())
      throw new ConfigError('install copies the single executable; run it from dist/sidecar-reaper');
    log.info({ path: await installExecutable(process.execPath, config.installDir) }, 'installed');
    return 0;
  }
  await checkSentinelDirectory(config.sentinelPath);
  const self = isSea()
    ? [process.execPath]
    : [process.execPath, ...process.execArgv, process.argv[1] as string];
  const init = becomeInitIfPid1([...self, ...process.argv.slice(2)], process.env);
  log.info({ config: redactConfig(config), init }, 'sidecar-reaper starting');
  const access = loadKubeConfig(config);
  if (access.why !== undefined) {
    log.warn(
      { why: access.why },
      'no Kubernetes API access: a worker killed without writing the sentinel is noticed only by the Job activeDeadlineSeconds',
    );
  }
  return runReaper(config, { log, kubeConfig: access.kc });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      const usage = error.message.includes('usage:') ? '' : `${USAGE}\n`;
      process.stderr.write(`sidecar-reaper: ${error.message}\n${usage}`);
      process.exit(EXIT_BAD_CONFIG);
    }
    process.stderr.write(`sidecar-reaper: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
