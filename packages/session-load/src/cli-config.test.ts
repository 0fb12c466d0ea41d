import { describe, expect, test } from 'vitest';
import { readCliConfig } from './cli-config.ts';
import { LOAD_PROFILES } from './load-profiles.ts';

const required = ['--hub', 'http://127.0.0.1:4444', '--site', 'http://127.0.0.1:8080'];

describe('readCliConfig', () => {
  test('defaults', () => {
    expect(readCliConfig(required, {})).toEqual({
      command: 'run',
      config: {
        hubUrl: 'http://127.0.0.1:4444/',
        siteUrl: 'http://127.0.0.1:8080/',
        sitePages: 20,
        profile: LOAD_PROFILES['ci-day'],
        seed: 42,
        scale: 1,
        name: 'ci-day',
        platformName: undefined,
        maxRequests: 500,
        maxRunMs: undefined,
        newSessionTimeoutMs: 330_000,
        registrationSecret: '',
        out: undefined,
        svg: undefined,
        cluster: undefined,
      },
    });
  });

  test('every option', () => {
    const command = readCliConfig(
      [
        ...required,
        '--profile',
        'smoke',
        '--seed',
        '7',
        '--scale',
        '0.2',
        '--name',
        'E push',
        '--platform-name',
        'linux',
        '--site-pages',
        '5',
        '--max-requests',
        '10',
        '--max-run-seconds',
        '600',
        '--new-session-timeout-seconds',
        '60',
        '--out',
        'r.json',
        '--svg',
        'r.svg',
        '--namespace',
        'scrapegrid',
        '--selector',
        'app=chrome',
        '--deployment',
        'chrome-node',
      ],
      { SESSION_LOAD_REGISTRATION_SECRET: 's3cret' },
    );
    expect(command.command === 'run' && command.config).toMatchObject({
      profile: { name: 'smoke' },
      seed: 7,
      scale: 0.2,
      name: 'E push',
      platformName: 'linux',
      sitePages: 5,
      maxRequests: 10,
      maxRunMs: 600_000,
      newSessionTimeoutMs: 60_000,
      registrationSecret: 's3cret',
      out: 'r.json',
      svg: 'r.svg',
      cluster: {
        namespace: 'scrapegrid',
        selector: 'app=chrome',
        deployment: 'chrome-node',
        kubeconfig: undefined,
      },
    });
  });

  test('the shipped replace-me placeholder as registration secret is refused, named, never shown', () => {
    const env = { SESSION_LOAD_REGISTRATION_SECRET: 'replace-me-with-a-long-random-string' };
    expect(() => readCliConfig(required, env)).toThrow(
      expect.objectContaining({
        code: 'SECRET_PLACEHOLDER',
        message:
          'SESSION_LOAD_REGISTRATION_SECRET is still the shipped placeholder; set a real value (k8s/README.md, Security)',
      }),
    );
    const real = readCliConfig(required, { SESSION_LOAD_REGISTRATION_SECRET: 'reg-s3cret' });
    expect(real.command === 'run' && real.config.registrationSecret).toBe('reg-s3cret');
  });

  test('--help', () => {
    expect(readCliConfig(['--help'], {})).toEqual({ command: 'help' });
  });

  test.each([
    [[], '--hub is required (see session-load --help)'],
    [['--hub', 'http://127.0.0.1:4444'], '--site is required (see session-load --help)'],
    [[...required, '--profile', 'nope'], '--profile must be one of ci-day, smoke, got "nope"'],
    [[...required, '--scale', '0'], '--scale must be a number of at least 0.001, got "0"'],
    [[...required, '--seed', '1.5'], '--seed must be an integer from 0 to 4294967295, got "1.5"'],
    [[...required, '--namespace', 'x'], '--namespace and --selector go together'],
    [[...required, '--svg', 'x.svg'], '--svg needs --namespace and --selector'],
    [['--hub', 'http://example.com', '--site', 'http://127.0.0.1'], '--hub: example.com is neither loopback'],
    [[...required, '--bogus'], "Unknown option '--bogus'"],
  ])('%j is refused: %s', (args, message) => {
    expect(() => readCliConfig(args, {})).toThrow(message);
  });
});
