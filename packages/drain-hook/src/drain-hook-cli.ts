import { createLogger } from '@scrapegrid/program-kit';
import { createGridClient, drainNodeAndWait, GridError, type GridOptions } from '@scrapegrid/selenium-grid';
import { openLogMirror } from './open-log-mirror.ts';
import { parseCommandLine, USAGE } from './parse-command-line.ts';
import { type DrainHookConfig, REDACT } from './parse-config.ts';

/**
 * drain-hook as a command: read the command line and environment, answer --help, drain.
 * Returns the exit code: 0 drained or already gone; 1 deadline reached, drain refused or
 * interrupted. A ConfigError propagates to runMain (exit 2).
 */
export async function drainHookCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const command = parseCommandLine(argv, env);
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  const { config } = command;
  const mirror = openLogMirror(config.logMirror);
  // `elapsedMs` on every line counts from the process start: the hook races a grace period.
  const log = await createLogger({
    name: 'drain-hook',
    format: config.logFormat,
    redact: REDACT,
    mixin: () => ({ elapsedMs: Math.round(performance.now()) }),
    alsoTo: mirror ? [mirror] : [],
  });
  const connection: Omit<GridOptions, 'url'> = {
    registrationSecret: config.registrationSecret,
    ca: config.ca?.pem,
    insecure: config.insecure,
    timeoutMs: config.httpTimeoutMs,
    // A 401 names the settings the user fixes.
    settingNames: { registrationSecret: 'SE_REGISTRATION_SECRET', auth: 'SE_ROUTER_USERNAME/PASSWORD' },
  };
  const node = createGridClient({ ...connection, url: config.nodeUrl, auth: _basic(config.nodeAuth) });
  const hub = config.gridUrl
    ? createGridClient({ ...connection, url: config.gridUrl, auth: _basic(config.hubAuth) })
    : undefined;
  log.info({ step: 'start', config }, 'drain-hook starting');

  // The kubelet does not signal a preStop hook, but a person or a supervisor might: say so, stop.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.warn({ step: 'interrupted', signal, exitCode: 1 }, `interrupted by ${signal}`);
      process.exit(1);
    });
  }

  try {
    // The deadline counts from the hook's start: performance.now() is 0 when the process began.
    const outcome = await drainNodeAndWait({
      node,
      hub,
      deadlineAt: config.deadlineMs,
      pollMs: config.pollMs,
      log,
    });
    log.info({ step: 'exit', exitCode: 0, result: outcome.result, nodeId: outcome.nodeId }, 'exit 0');
    return 0;
  } catch (error) {
    if (error instanceof GridError && error.code === 'GRID_DRAIN_DEADLINE') {
      log.error({ step: 'exit', exitCode: 1, sessions: error.sessionsLeft, code: error.code }, error.message);
    } else if (error instanceof GridError && error.code === 'GRID_DRAIN_REFUSED') {
      log.error({ step: 'exit', exitCode: 1, code: error.code }, error.message);
    } else {
      log.error({ step: 'exit', exitCode: 1, err: error }, 'unexpected failure');
    }
    return 1;
  }
}

// --- internal ---

function _basic(auth: DrainHookConfig['hubAuth']): GridOptions['auth'] {
  return auth && { kind: 'basic', username: auth.username, password: auth.password };
}
