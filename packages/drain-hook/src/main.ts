import { createGridClient, drainNodeAndWait, GridError, type GridOptions } from '@scrapegrid/selenium-grid';
import { ConfigError } from './config-error.ts';
import { createLogger } from './create-logger.ts';
import { installExecutable } from './install-executable.ts';
import { parseCommandLine, USAGE } from './parse-command-line.ts';
import { type DrainHookConfig, redactConfig } from './parse-config.ts';

// An async function, not top-level await: the single executable runs a CommonJS bundle.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`drain-hook: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);

async function main(): Promise<number> {
  let command: ReturnType<typeof parseCommandLine>;
  try {
    command = parseCommandLine(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`drain-hook: ${(error as Error).message}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }

  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.kind === 'install') {
    try {
      process.stdout.write(`${installExecutable(command.dir)}\n`);
      return 0;
    } catch (error) {
      process.stderr.write(`drain-hook install: ${(error as Error).message}\n`);
      return error instanceof ConfigError ? 2 : 1;
    }
  }

  const { config } = command;
  const log = createLogger(config.logMirror);
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
  log.info({ step: 'start', config: redactConfig(config) }, 'drain-hook starting');

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
