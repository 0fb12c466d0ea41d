// A program built only from the kit, for the tests that fork it and send it real signals:
//   node test/kit-program.ts [--format json|pretty] [--close-ms N] [--grace-ms N] [--exit-from-close N]
//                            [--bad-config] [--crash] [-- words...]
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, createLogger, onShutdown, readCommandLine, runMain } from '../src/index.ts';

runMain('kit-program', async () => {
  const line = readCommandLine(process.argv.slice(2), {
    program: 'kit-program',
    rest: true,
    options: {
      format: { type: 'string', default: 'json' },
      'close-ms': { type: 'string', default: '0' },
      'grace-ms': { type: 'string', default: '1000' },
      'exit-from-close': { type: 'string' },
      'bad-config': { type: 'boolean' },
      crash: { type: 'boolean' },
    },
  });
  if (line.help) {
    process.stdout.write('usage: kit-program [flags]\n');
    return 0;
  }
  const { values } = line;
  if (values['bad-config']) throw new ConfigError('--bad-config was given');
  if (values.crash) throw new Error('crashed on purpose');
  const log = await createLogger({
    name: 'kit-program',
    format: values.format as 'json' | 'pretty',
    redact: ['config.secret'],
  });
  log.info({ config: { secret: 's3cret', empty: '', rest: line.rest } }, 'started');
  onShutdown(
    {
      graceMs: Number(values['grace-ms']),
      log,
      beforeForcedExit: (reason) => process.stdout.write(`last words: ${reason}\n`),
    },
    async () => {
      await sleep(Number(values['close-ms']));
      log.info('closed');
      if (values['exit-from-close'] !== undefined) process.exit(Number(values['exit-from-close']));
    },
  );
  process.stdout.write('ready\n');
  setInterval(() => {}, 60_000); // runs until a signal, like a server
  await new Promise(() => {});
  return 0;
});
