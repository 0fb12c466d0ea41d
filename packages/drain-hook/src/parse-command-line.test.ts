import { ConfigError } from '@scrapegrid/program-kit';
import { describe, expect, test } from 'vitest';
import { parseCommandLine } from './parse-command-line.ts';

describe('parseCommandLine', () => {
  test.each([
    [[], 'drain'],
    [['drain'], 'drain'],
    [['--deadline-seconds', '3540'], 'drain'],
    [['--help'], 'help'],
    [['-h'], 'help'],
  ])('%o is the %s command', (args, kind) => {
    expect(parseCommandLine(args, {}).kind).toBe(kind);
  });

  test('--help is answered even when the environment is wrong', () => {
    expect(parseCommandLine(['--help'], { SE_SERVER_PROTOCOL: 'gopher' })).toEqual({ kind: 'help' });
  });

  test('flags reach the configuration', () => {
    const command = parseCommandLine(
      ['--node-url', 'http://127.0.0.1:7777', '--grid-url=http://hub:4444', '--deadline-seconds', '60'],
      {},
    );
    expect(command.kind === 'drain' && command.config).toMatchObject({
      nodeUrl: 'http://127.0.0.1:7777',
      gridUrl: 'http://hub:4444',
      deadlineMs: 60_000,
    });
  });

  test.each([
    [['--registration-secret', 'x'], /Unknown option '--registration-secret'.*--help/],
    [['install'], /unknown command "install"/],
    [['uninstall'], /unknown command "uninstall"/],
    [['drain', 'extra'], /unexpected argument "extra"/],
    [['--deadline-seconds'], /argument missing/],
  ])('%o is a configuration error', (args, message) => {
    expect(() => parseCommandLine(args, {})).toThrow(ConfigError);
    expect(() => parseCommandLine(args, {})).toThrow(message);
  });
});
