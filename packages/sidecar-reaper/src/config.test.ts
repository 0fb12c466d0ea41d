import { createLogger } from '@scrapegrid/program-kit';
import { DEFAULT_SENTINEL_PATH } from '@scrapegrid/sentinel';
import { describe, expect, test } from 'vitest';
import { parseConfig, REDACT, REDACT_URLS } from './config.ts';

describe('parseConfig', () => {
  test('defaults: the sentinel package path, 10 s grace, the worker container, no API access', () => {
    const config = parseConfig(['--', '/opt/bin/entry_point.sh'], {});
    expect(config).toMatchObject({
      mode: 'supervise',
      sentinelPath: DEFAULT_SENTINEL_PATH,
      graceMs: 10_000,
      pollIntervalMs: 1000,
      workerContainer: 'worker',
      podName: undefined,
      inCluster: false,
      command: '/opt/bin/entry_point.sh',
      args: [],
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('flags win over env; env names are SIDECAR_REAPER_*; the secret falls back to SE_REGISTRATION_SECRET', () => {
    const config = parseConfig(
      ['--grace-seconds=3', '--drain-node-url', 'http://127.0.0.1:5555/', '--', 'java', '-jar', 'x'],
      {
        SIDECAR_REAPER_GRACE_SECONDS: '20',
        SIDECAR_REAPER_SENTINEL_PATH: '/shared/done.json',
        SIDECAR_REAPER_POD_NAME: 'job-abc',
        SIDECAR_REAPER_POD_NAMESPACE: 'scrape',
        SE_REGISTRATION_SECRET: 's3cret',
        KUBERNETES_SERVICE_HOST: '10.0.0.1',
        KUBERNETES_SERVICE_PORT: '443',
      },
    );
    expect(config).toMatchObject({
      graceMs: 3000,
      sentinelPath: '/shared/done.json',
      drainNodeUrl: 'http://127.0.0.1:5555',
      podName: 'job-abc',
      podNamespace: 'scrape',
      registrationSecret: 's3cret',
      inCluster: true,
      command: 'java',
      args: ['-jar', 'x'],
    });
  });

  test('the logged config shows neither the secret nor a password in a Grid URL', async () => {
    const config = parseConfig(['--drain-grid-url', 'http://hub:4444', '--', 'x'], {
      SE_REGISTRATION_SECRET: 's3cret',
      SIDECAR_REAPER_DRAIN_NODE_URL: 'http://u:node-pw@127.0.0.1:5555',
    });
    const lines: string[] = [];
    const log = await createLogger({
      name: 'sidecar-reaper',
      fd: 2,
      redact: REDACT,
      urls: REDACT_URLS,
      alsoTo: [{ write: (l: string) => void lines.push(l) }],
    });
    log.info({ config }, 'sidecar-reaper starting');
    expect(lines[0]).not.toContain('s3cret');
    expect(lines[0]).not.toContain('node-pw');
    expect(JSON.parse(lines[0] as string).config).toMatchObject({
      registrationSecret: '[redacted]',
      drainNodeUrl: 'http://u:***@127.0.0.1:5555',
      drainGridUrl: 'http://hub:4444',
    });
  });

  test('a password in any of the three Grid URLs is never logged', async () => {
    const config = parseConfig(['--', 'x'], {
      SIDECAR_REAPER_DRAIN_NODE_URL: 'http://u:node-pw@127.0.0.1:5555',
      SIDECAR_REAPER_DRAIN_GRID_URL: 'http://u:hub-pw@127.0.0.1:4444',
      SIDECAR_REAPER_WAIT_NODES_GONE_HUB_URL: 'http://u:wait-pw@127.0.0.1:4444',
    });
    const lines: string[] = [];
    const log = await createLogger({
      name: 'sidecar-reaper',
      redact: REDACT,
      urls: REDACT_URLS,
      alsoTo: [{ write: (l: string) => void lines.push(l) }],
      fd: 2,
    });
    log.info({ config }, 'sidecar-reaper starting');
    expect(JSON.parse(lines[0] as string).config).toMatchObject({
      drainNodeUrl: 'http://u:***@127.0.0.1:5555',
      drainGridUrl: 'http://u:***@127.0.0.1:4444',
      waitNodesGoneHubUrl: 'http://u:***@127.0.0.1:4444',
    });
    expect(lines.join('')).not.toMatch(/node-pw|hub-pw|wait-pw/);
  });

  test('a blank setting is its default, as in every program (the sentinel path too, as the worker reads it)', () => {
    const config = parseConfig(['--', 'x'], {
      SIDECAR_REAPER_SENTINEL_PATH: ' ',
      SIDECAR_REAPER_GRACE_SECONDS: '',
      SIDECAR_REAPER_DRAIN_NODE_URL: '',
    });
    expect(config).toMatchObject({
      sentinelPath: DEFAULT_SENTINEL_PATH,
      graceMs: 10_000,
      drainNodeUrl: undefined,
    });
  });

  test('SIDECAR_REAPER_REGISTRATION_SECRET wins over SE_REGISTRATION_SECRET', () => {
    const env = { SIDECAR_REAPER_REGISTRATION_SECRET: 'a', SE_REGISTRATION_SECRET: 'b' };
    expect(parseConfig(['--', 'x'], env).registrationSecret).toBe('a');
  });

  test('the shipped placeholder is refused with SECRET_PLACEHOLDER, naming the variable; a real value passes', () => {
    const placeholder = 'replace-me-with-a-long-random-string';
    expect(() => parseConfig(['--', 'x'], { SE_REGISTRATION_SECRET: placeholder })).toThrow(
      expect.objectContaining({
        code: 'SECRET_PLACEHOLDER',
        message:
          'SE_REGISTRATION_SECRET is still the shipped placeholder; set it in the Secret scrape-job-grid-registration (k8s/README.md, Security)',
      }),
    );
    expect(() => parseConfig(['--', 'x'], { SIDECAR_REAPER_REGISTRATION_SECRET: placeholder })).toThrow(
      expect.objectContaining({
        code: 'SECRET_PLACEHOLDER',
        message:
          'SIDECAR_REAPER_REGISTRATION_SECRET is still the shipped placeholder; set a real value (k8s/README.md, Security)',
      }),
    );
    // Only the secret used counts: ours wins, the other is not read.
    const env = { SIDECAR_REAPER_REGISTRATION_SECRET: 'reg-s3cret', SE_REGISTRATION_SECRET: placeholder };
    expect(parseConfig(['--', 'x'], env).registrationSecret).toBe('reg-s3cret');
    expect(() =>
      parseConfig(['--drain-grid-url', 'http://127.0.0.1:4444', '--', 'x'], {
        SIDECAR_REAPER_DRAIN_NODE_URL: `http://u:${placeholder}@127.0.0.1:5555`,
      }),
    ).toThrow('the password in SIDECAR_REAPER_DRAIN_NODE_URL is still the shipped placeholder');
  });

  test.each([['--help'], ['-h'], ['--help', '--grace-seconds', '-1']])(
    '%s asks for help, whatever else is wrong',
    (...argv) => {
      expect(parseConfig(argv, { SIDECAR_REAPER_SENTINEL_PATH: 'relative' }).mode).toBe('help');
    },
  );

  test.each([
    ['no command', [], {}, 'no command'],
    ['an empty command after --', ['--'], {}, 'no command'],
    ['a relative sentinel path', ['--sentinel-path', 'done.json', '--', 'x'], {}, 'absolute'],
    [
      'a flag without value',
      ['--grace-seconds'],
      {},
      "Option '--grace-seconds <value>' argument missing (see sidecar-reaper --help)",
    ],
    ['an unknown flag', ['--graze-seconds', '1', '--', 'x'], {}, "Unknown option '--graze-seconds'"],
    [
      'a negative grace',
      ['--grace-seconds', '-1', '--', 'x'],
      {},
      '--grace-seconds must be a number of at least 0, got "-1"',
    ],
    [
      'a poll interval that is no number',
      ['--', 'x'],
      { SIDECAR_REAPER_POLL_INTERVAL_MS: 'often' },
      'SIDECAR_REAPER_POLL_INTERVAL_MS must be a number of at least 10, got "often"',
    ],
    [
      'a non-http drain URL',
      ['--drain-node-url', 'localhost:5555', '--', 'x'],
      {},
      '--drain-node-url must be an http or https URL, got "localhost:5555"',
    ],
    [
      'an unparsable URL with a password, named redacted',
      ['--', 'x'],
      { SIDECAR_REAPER_DRAIN_GRID_URL: 'http://user:s3cretPW@127.0.0.1:notaport/' },
      'SIDECAR_REAPER_DRAIN_GRID_URL must be an http or https URL, got "http://user:***@127.0.0.1:notaport/"',
    ],
    [
      'a password in a URL flag (ps shows it)',
      ['--drain-node-url', 'http://u:s3cretPW@127.0.0.1:5555', '--', 'x'],
      {},
      '--drain-node-url "http://u:***@127.0.0.1:5555" holds a password',
    ],
    ['a pod name without namespace', ['--pod-name', 'p', '--', 'x'], {}, 'set both'],
    ['a stray argument', ['entry_point.sh'], {}, 'put the command after --'],
    ['a stray argument before --', ['install', '--', 'x'], {}, 'put the command after --'],
    [
      'an unknown log level',
      ['--log-level', 'loud', '--', 'x'],
      {},
      '--log-level must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
    [
      'an unknown log format',
      ['--log-format', 'xml', '--', 'x'],
      {},
      '--log-format must be one of json, pretty, auto, got "xml"',
    ],
  ] as const)('rejects %s with a message that says what to fix', (_, argv, env, message) => {
    expect(() => parseConfig(argv, env)).toThrowError(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(message) }),
    );
  });
});
