import { createLogger } from '@scrapegrid/program-kit';
import { becomeInitIfPid1 } from './become-init.ts';
import { checkSentinelDirectory } from './check-sentinel-directory.ts';
import { parseConfig, REDACT, REDACT_URLS, USAGE } from './config.ts';
import { loadKubeAccess } from './load-kube-access.ts';
import { runReaper } from './run-reaper.ts';

/**
 * The reaper as a command: read the configuration, answer --help, become the init when PID 1,
 * then supervise. `self` is how to run this same program again (the init re-executes it): the
 * executable and the arguments that select the reaper. Returns the exit code; a ConfigError
 * propagates to runMain (exit 2).
 */
export async function sidecarReaperCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  self: readonly string[],
): Promise<number> {
  const config = parseConfig(argv, env);
  if (config.mode === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // JSON lines on stderr, so they interleave with, but never corrupt, the child's stdout.
  const log = await createLogger({
    name: 'sidecar-reaper',
    level: config.logLevel,
    format: config.logFormat,
    fd: 2,
    redact: REDACT,
    urls: REDACT_URLS,
  });
  await checkSentinelDirectory(config.sentinelPath);
  const init = becomeInitIfPid1([...self, ...argv], env);
  log.info({ config, init }, 'sidecar-reaper starting');
  const access = await loadKubeAccess(config);
  if (access.why !== undefined) {
    log.warn(
      { why: access.why },
      'no Kubernetes API access: a worker killed without writing the sentinel is noticed only by the Job activeDeadlineSeconds',
    );
  }
  return runReaper(config, { log, kubeConfig: access.kc });
}
