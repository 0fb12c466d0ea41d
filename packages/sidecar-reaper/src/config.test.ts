import { DEFAULT_SENTINEL_PATH } from '@scrapegrid/sentinel';
import { describe, expect, test } from 'vitest';
import { parseConfig, redactConfig } from './config.ts';

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
    expect(redactConfig(config).registrationSecret).toBe('[redacted]');
    expect(JSON.stringify(redactConfig(config))).not.toContain('s3cret');
  });

  test('a password in a Grid URL is never logged', () => {
    const config = parseConfig(
      [
        '--drain-node-url',
        'http://u:node-pw@127.0.0.1:5555',
        '--drain-grid-url',
        'http://u:hub-pw@127.0.0.1:4444',
        '--',
        'x',
      ],
      { SIDECAR_REAPER_WAIT_NODES_GONE_HUB_URL: 'http://u:wait-pw@127.0.0.1:4444' },
    );
    expect(redactConfig(config)).toMatchObject({
      drainNodeUrl: 'http://u:***@127.0.0.1:5555',
      drainGridUrl: 'http://u:***@127.0.0.1:4444',
      waitNodesGoneHubUrl: 'http://u:***@127.0.0.1:4444',
    });
    expect(JSON.stringify(redactConfig(config))).not.toMatch(/node-pw|hub-pw|wait-pw/);
  });

  test('SIDECAR_REAPER_REGISTRATION_SECRET wins over SE_REGISTRATION_SECRET', () => {
    const env = { SIDECAR_REAPER_REGISTRATION_SECRET: 'a', SE_REGISTRATION_SECRET: 'b' };
    expect(parseConfig(['--', 'x'], env).registrationSecret).toBe('a');
  });

  test('install <dir>', () => {
    expect(parseConfig(['install', '/scrapegrid/bin'], {})).toMatchObject({
      mode: 'install',
      installDir: '/scrapegrid/bin',
    });
  });

  test.each([
    ['no command', [], {}, 'no command'],
    ['an empty command after --', ['--'], {}, 'no command'],
    ['an empty sentinel path', ['--', 'x'], { SIDECAR_REAPER_SENTINEL_PATH: ' ' }, 'sentinel path is empty'],
    ['a relative sentinel path', ['--sentinel-path', 'done.json', '--', 'x'], {}, 'absolute'],
    ['a flag without value', ['--grace-seconds'], {}, 'needs a value'],
    ['an unknown flag', ['--graze-seconds', '1', '--', 'x'], {}, 'unknown flag --graze-seconds'],
    ['a negative grace', ['--grace-seconds', '-1', '--', 'x'], {}, 'grace-seconds must be a number'],
    [
      'a non-http drain URL',
      ['--drain-node-url', 'localhost:5555', '--', 'x'],
      {},
      'drain-node-url must be an http(s) URL',
    ],
    ['a pod name without namespace', ['--pod-name', 'p', '--', 'x'], {}, 'set both'],
    ['a stray argument', ['entry_point.sh'], {}, 'put the command after --'],
    ['install without a directory', ['install'], {}, 'exactly one directory'],
    ['an unknown log level', ['--log-level', 'loud', '--', 'x'], {}, 'log level'],
  ] as const)('rejects %s with a message that says what to fix', (_, argv, env, message) => {
    expect(() => parseConfig(argv, env)).toThrowError(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(message) }),
    );
  });
});
