import { describe, expect, test } from 'vitest';
import { readCommandLine } from './read-command-line.ts';

const spec = {
  program: 'prog',
  rest: true,
  options: { port: { type: 'string' }, insecure: { type: 'boolean' } },
} as const;

describe('readCommandLine', () => {
  test.each([
    { args: ['--help'], out: { help: true } },
    { args: ['serve', '-h'], out: { help: true } },
    { args: [], out: { help: false, values: {}, positionals: [], rest: [] } },
    {
      args: ['serve', '--port', '80', '--insecure', '--', 'cmd', '--port', 'x'],
      out: {
        help: false,
        values: { port: '80', insecure: true },
        positionals: ['serve'],
        rest: ['cmd', '--port', 'x'],
      },
    },
    { args: ['--port=81'], out: { help: false, values: { port: '81' }, positionals: [], rest: [] } },
    { args: ['--port', '-1'], out: { help: false, values: { port: '-1' }, positionals: [], rest: [] } },
    {
      args: ['--port', '--insecure'],
      out: { help: false, values: { port: '--insecure' }, positionals: [], rest: [] },
    },
    // A switch: bare is true; =VALUE in readBoolean's spelling; --no- is false.
    { args: ['--insecure=No'], out: { help: false, values: { insecure: false }, positionals: [], rest: [] } },
    { args: ['--insecure=yes'], out: { help: false, values: { insecure: true }, positionals: [], rest: [] } },
    { args: ['--no-insecure'], out: { help: false, values: { insecure: false }, positionals: [], rest: [] } },
  ])('$args', ({ args, out }) => {
    expect(readCommandLine(args, spec)).toEqual(out);
  });

  test.each([
    { args: ['--nope'], message: /^Unknown option '--nope'.* \(see prog --help\)$/ },
    { args: ['--port'], message: /^Option '--port <value>' argument missing \(see prog --help\)$/ },
    {
      args: ['--insecure=maybe'],
      message: /^--insecure must be true or false \(also yes\/no, 1\/0\), got "maybe"$/,
    },
    {
      args: ['--insecure', 'true'],
      message: /^--insecure is a switch: write --insecure or --insecure=true, not "--insecure true"$/,
    },
  ])('$args is a ConfigError naming --help', ({ args, message }) => {
    expect(() => readCommandLine(args, spec)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) }),
    );
  });

  test('without rest, -- is parseArgs’ own terminator', () => {
    expect(readCommandLine(['--', '--port'], { ...spec, rest: false })).toEqual({
      help: false,
      values: {},
      positionals: ['--port'],
      rest: [],
    });
  });

  test('a refused flag names where to set it, never its value', () => {
    for (const args of [['--password', 's3cretPW'], ['--password=s3cretPW'], ['serve', '--password']]) {
      expect(() => readCommandLine(args, { ...spec, refused: { password: 'set P or P_FILE' } })).toThrow(
        expect.objectContaining({
          code: 'CONFIG_INVALID',
          message: '--password is not taken on the command line (ps shows it to everyone): set P or P_FILE',
        }),
      );
    }
    // After `--` it belongs to the command.
    expect(
      readCommandLine(['--', 'cmd', '--password'], { ...spec, refused: { password: 'x' } }),
    ).toMatchObject({
      rest: ['cmd', '--password'],
    });
  });
});
