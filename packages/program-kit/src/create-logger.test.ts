import { fileURLToPath } from 'node:url';
import { spawnTracked, waitUntil } from '@scrapegrid/test-support';
import { describe, expect, test } from 'vitest';
import { createLogger } from './create-logger.ts';

const program = fileURLToPath(new URL('../test/kit-program.ts', import.meta.url));
const prettyError = fileURLToPath(new URL('../test/pretty-error-program.ts', import.meta.url));

describe('createLogger', () => {
  test('JSON lines carry name, pid and an ISO time; redacted paths say only that they are set', async () => {
    const lines: string[] = [];
    const log = await createLogger({
      name: 'unit',
      redact: ['config.secret', 'config.empty'],
      alsoTo: [{ write: (l: string) => void lines.push(l) }],
    });
    log.info({ config: { secret: 'hunter2', empty: '', other: 'x' } }, 'configuration');
    const record = JSON.parse(lines[0] as string);
    expect(record).toMatchObject({ level: 30, name: 'unit', pid: process.pid, msg: 'configuration' });
    expect(record.config).toEqual({ secret: '[redacted]', empty: '', other: 'x' });
    expect(record.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines[0]).not.toContain('hunter2');
  });

  test('URL paths go through the given redaction, which keeps the URL', async () => {
    const lines: string[] = [];
    const log = await createLogger({
      name: 'unit',
      redact: ['config.secret'],
      urls: { paths: ['config.url', 'config.none'], redact: (url) => url.replace(/:[^:@/]+@/, ':***@') },
      alsoTo: [{ write: (l: string) => void lines.push(l) }],
    });
    log.info({ config: { secret: 's', url: 'http://u:pw@hub:4444', none: undefined } }, 'configuration');
    expect(JSON.parse(lines[0] as string).config).toEqual({
      secret: '[redacted]',
      url: 'http://u:***@hub:4444',
    });
  });

  test('the level filters and the mixin adds to every line', async () => {
    const lines: string[] = [];
    const log = await createLogger({
      name: 'unit',
      level: 'warn',
      mixin: () => ({ step: 7 }),
      alsoTo: [{ write: (l: string) => void lines.push(l) }],
    });
    log.info('dropped');
    log.warn('kept');
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([{ msg: 'kept', step: 7, level: 40 }]);
  });

  test.each([
    {
      format: 'json',
      first:
        /^\{"level":30,"time":"[^"]+","name":"kit-program","pid":\d+,"config":\{"secret":"\[redacted\]","empty":"","rest":\["a"\]\},"msg":"started"\}$/,
    },
    {
      format: 'pretty',
      first:
        /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(kit-program\): started \{"config":\{"secret":"\[redacted\]","empty":"","rest":\["a"\]\}\}$/,
    },
  ])('a real process writes $format lines', async ({ format, first }) => {
    const proc = spawnTracked('kit-program', process.execPath, [program, '--format', format, '--', 'a']);
    await waitUntil(() => proc.output().includes('ready\n'), {
      timeoutMs: 10_000,
      what: 'the program to start',
    });
    await proc.stop(5_000);
    const lines = proc.output().split('\n');
    expect(lines[0]).toMatch(first);
    expect(proc.output()).not.toContain('s3cret');
  });

  test('pretty: an error is one line (type, code, message), its stack only at debug level', async () => {
    const run = async (level: string) => {
      const proc = spawnTracked('pretty-error', process.execPath, [prettyError, level]);
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      return proc.output();
    };
    const time = String.raw`\[\d\d:\d\d:\d\d\.\d{3}\]`;
    const atInfo = (await run('info')).split('\n');
    expect(atInfo).toHaveLength(4); // three lines, then the end of the last
    expect(atInfo[0]).toMatch(
      new RegExp(
        `^${time} WARN \\(pretty-error\\): poll failed \\{"err":"PollError GRID_POLL_FAILED: cannot reach the Grid: connect ECONNREFUSED 127\\.0\\.0\\.1:1","reason":"unreachable"\\}$`,
      ),
    );
    expect(atInfo[1]).toMatch(
      new RegExp(`^${time} ERROR \\(pretty-error\\): under error \\{"error":"Error: two\\\\nlines"\\}$`),
    );
    expect(atInfo[2]).toMatch(new RegExp(`^${time} INFO \\(pretty-error\\): done$`));
    expect(atInfo[3]).toBe('');

    const atDebug = await run('debug');
    expect(atDebug).toMatch(/\n {10}PollError: cannot reach the Grid\n {14}at /);
    expect(atDebug).toContain('caused by: Error: connect ECONNREFUSED 127.0.0.1:1');
  });
});
