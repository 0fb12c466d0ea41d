import { ConfigError } from './config-error.ts';
import { createLogger } from './create-logger.ts';
import { DeadlineReachedError } from './deadline-reached-error.ts';
import { DrainRefusedError } from './drain-refused-error.ts';
import { createGridHttp } from './grid-http.ts';
import { installExecutable } from './install-executable.ts';
import { parseCommandLine, USAGE } from './parse-command-line.ts';
import { redactConfig } from './parse-config.ts';
import { runDrain } from './run-drain.ts';

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
  const now = () => performance.now();
  const http = createGridHttp(config, () => config.deadlineMs - now());
  log.info({ step: 'start', config: redactConfig(config) }, 'drain-hook starting');

  // The kubelet does not signal a preStop hook, but a person or a supervisor might: say so, stop.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.warn({ step: 'interrupted', signal, exitCode: 1 }, `interrupted by ${signal}`);
      process.exit(1);
    });
  }

  try {
    const outcome = await runDrain({ config, http, log, now });
    log.info({ step: 'exit', exitCode: 0, result: outcome.result, nodeId: outcome.nodeId }, 'exit 0');
    return 0;
  } catch (error) {
    if (error instanceof DeadlineReachedError) {
      log.error({ step: 'exit', exitCode: 1, sessions: error.sessionsLeft, code: error.code }, error.message);
    } else if (error instanceof DrainRefusedError) {
      log.error({ step: 'exit', exitCode: 1, code: error.code }, error.message);
    } else {
      log.error({ step: 'exit', exitCode: 1, err: error }, 'unexpected failure');
    }
    return 1;
  }
}
