import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createLogger } from '@scrapegrid/program-kit';
import { describe, expect, test } from 'vitest';
import { CONFIG_DEFAULTS, parseConfig, REDACT } from './config.ts';

const BASE = { GRID_EXPORTER_GRID_URL: 'http://hub:4444', GRID_EXPORTER_POOLS_FILE: '/etc/pools.yaml' };

describe('parseConfig', () => {
  test('defaults', () => {
    const c = parseConfig([], BASE);
    expect(c).toMatchObject({
      command: 'serve',
      gridUrl: 'http://hub:4444',
      port: 9561,
      pollIntervalSeconds: CONFIG_DEFAULTS.pollIntervalSeconds,
      queueWatchSeconds: 0.25,
      grpcPort: undefined,
      insecure: false,
      podDeletionCost: false,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  test('flags override env; a KEDA-style /graphql URL is accepted', () => {
    const c = parseConfig(
      [
        'once',
        '--grid-url',
        'https://grid.example:4444/graphql',
        '--pools',
        'p.yaml',
        '--port',
        '0',
        '--poll-interval',
        '1.5',
        '--grpc-port',
        '9099',
      ],
      {
        ...BASE,
        GRID_EXPORTER_PORT: '1234',
        GRID_EXPORTER_GRPC_PORT: '1',
        GRID_EXPORTER_QUEUE_WATCH_INTERVAL_SECONDS: '0',
      },
    );
    expect(c).toMatchObject({
      command: 'once',
      gridUrl: 'https://grid.example:4444',
      poolsFile: 'p.yaml',
      port: 0,
      pollIntervalSeconds: 1.5,
      grpcPort: 9099,
      queueWatchSeconds: 0,
    });
  });

  test('secrets are redacted for the log', async () => {
    const c = parseConfig([], {
      ...BASE,
      GRID_EXPORTER_TOKEN: 's3cret',
      GRID_EXPORTER_POD_DELETION_COST: 'true',
    });
    expect(c.podDeletionCost).toBe(true);
    expect(await _logged(c)).not.toContain('s3cret');
  });

  test('credentials in the Grid URL are basic auth, and leave the URL that is logged', async () => {
    const c = parseConfig([], { ...BASE, GRID_EXPORTER_GRID_URL: 'http://admin:s3cret@hub:4444/graphql' });
    expect(c).toMatchObject({ gridUrl: 'http://hub:4444', username: 'admin', password: 's3cret' });
    expect(await _logged(c)).not.toContain('s3cret');
  });

  test.each([
    [['bogus'], BASE, 'unknown command'],
    [['--nope'], BASE, 'Unknown option'],
    [[], { GRID_EXPORTER_POOLS_FILE: 'x' }, 'no Grid URL'],
    [
      [],
      { GRID_EXPORTER_GRID_URL: 'ftp://x' },
      'GRID_EXPORTER_GRID_URL must be an http or https URL, got "ftp://x"',
    ],
    [
      [],
      { GRID_EXPORTER_GRID_URL: 'hub 4444' },
      'GRID_EXPORTER_GRID_URL must be an http or https URL, got "hub 4444"',
    ],
    // A bad URL is named redacted, even when it cannot be parsed.
    [
      [],
      { GRID_EXPORTER_GRID_URL: 'http://user:s3cretPW@127.0.0.1:notaport/' },
      'GRID_EXPORTER_GRID_URL must be an http or https URL, got "http://user:***@127.0.0.1:notaport/"',
    ],
    [
      ['--grid-url', 'http://user:s3cretPW@hub:4444'],
      BASE,
      '--grid-url "http://user:***@hub:4444" holds a password, and ps shows every command line',
    ],
    [
      [],
      { ...BASE, GRID_EXPORTER_LOG_FORMAT: 'xml' },
      'GRID_EXPORTER_LOG_FORMAT must be one of json, pretty, auto, got "xml"',
    ],
    [
      ['--log-level', 'loud'],
      BASE,
      '--log-level must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
    [[], { GRID_EXPORTER_GRID_URL: 'http://x' }, 'no pools'],
    [
      [],
      { ...BASE, GRID_EXPORTER_PORT: '70000' },
      'GRID_EXPORTER_PORT must be an integer from 0 to 65535, got "70000"',
    ],
    [['--port', '80.5'], BASE, '--port must be an integer from 0 to 65535, got "80.5"'],
    [
      [],
      { ...BASE, GRID_EXPORTER_POLL_INTERVAL_SECONDS: 'soon' },
      'GRID_EXPORTER_POLL_INTERVAL_SECONDS must be a number of at least 0.1, got "soon"',
    ],
    // Secrets are refused on the command line, and the message does not repeat them.
    [
      ['--password', 's3cretPW'],
      BASE,
      '--password is not taken on the command line (ps shows it to everyone): set GRID_EXPORTER_PASSWORD or GRID_EXPORTER_PASSWORD_FILE',
    ],
    [
      ['--token=s3cretPW'],
      BASE,
      '--token is not taken on the command line (ps shows it to everyone): set GRID_EXPORTER_TOKEN or GRID_EXPORTER_TOKEN_FILE',
    ],
    [
      ['--insecure', 'true'],
      BASE,
      '--insecure is a switch: write --insecure or --insecure=true, not "--insecure true"',
    ],
    [
      [],
      { ...BASE, GRID_EXPORTER_TOKEN: 't', GRID_EXPORTER_TOKEN_FILE: '/x' },
      'set GRID_EXPORTER_TOKEN or GRID_EXPORTER_TOKEN_FILE, not both',
    ],
    [
      [],
      { ...BASE, GRID_EXPORTER_CA_FILE: '/nonexistent/ca.pem' },
      'GRID_EXPORTER_CA_FILE: cannot read the CA file /nonexistent/ca.pem',
    ],
    [
      [],
      { ...BASE, GRID_EXPORTER_QUEUE_WATCH_INTERVAL_SECONDS: '-1' },
      'GRID_EXPORTER_QUEUE_WATCH_INTERVAL_SECONDS must be a number of at least 0, got "-1"',
    ],
    [['--grpc-port', '70000'], BASE, '--grpc-port must be an integer from 0 to 65535, got "70000"'],
    [[], { ...BASE, GRID_EXPORTER_USERNAME: 'u' }, 'go together'],
    [
      [],
      { ...BASE, GRID_EXPORTER_USERNAME: 'u', GRID_EXPORTER_PASSWORD: 'p', GRID_EXPORTER_TOKEN: 't' },
      'not both',
    ],
    [
      [],
      { ...BASE, GRID_EXPORTER_INSECURE: 'maybe' },
      'GRID_EXPORTER_INSECURE must be true or false (also yes/no, 1/0), got "maybe"',
    ],
    [
      [],
      { ...BASE, GRID_EXPORTER_GRID_URL: 'http://a:b@hub:4444', GRID_EXPORTER_TOKEN: 't' },
      'credentials both in the Grid URL and in GRID_EXPORTER_USERNAME/PASSWORD or GRID_EXPORTER_TOKEN: keep one',
    ],
  ])('%j %j fails: %s', (argv, env, message) => {
    expect(() => parseConfig(argv, env)).toThrow(ConfigError);
    expect(() => parseConfig(argv, env)).toThrow(message);
    let error: unknown;
    try {
      parseConfig(argv, env);
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).message).not.toContain('s3cretPW');
  });

  test('the shipped placeholder password is refused with SECRET_PLACEHOLDER, naming it; a real one passes', () => {
    const env = { ...BASE, GRID_EXPORTER_USERNAME: 'scrapegrid' };
    expect(() =>
      parseConfig([], { ...env, GRID_EXPORTER_PASSWORD: 'replace-me-with-a-long-random-string' }),
    ).toThrow(
      expect.objectContaining({
        code: 'SECRET_PLACEHOLDER',
        message:
          'GRID_EXPORTER_PASSWORD is still the shipped placeholder; set it in the Secret selenium-grid-router (its key SE_ROUTER_PASSWORD) (k8s/README.md, Security)',
      }),
    );
    expect(parseConfig([], { ...env, GRID_EXPORTER_PASSWORD: 's3cretPW' })).toMatchObject({
      username: 'scrapegrid',
      password: 's3cretPW',
    });
  });

  test('switches: bare is true, =false or --no- is false, over the variable; the one boolean spelling', () => {
    const env = { ...BASE, GRID_EXPORTER_INSECURE: 'yes', GRID_EXPORTER_POD_DELETION_COST: '1' };
    expect(parseConfig([], env)).toMatchObject({ insecure: true, podDeletionCost: true });
    expect(parseConfig(['--insecure=false', '--no-pod-deletion-cost'], env)).toMatchObject({
      insecure: false,
      podDeletionCost: false,
    });
    expect(parseConfig(['--insecure', '--pod-deletion-cost'], BASE)).toMatchObject({
      insecure: true,
      podDeletionCost: true,
    });
    expect(parseConfig([], { ...BASE, GRID_EXPORTER_INSECURE: '' })).toMatchObject({ insecure: false });
  });

  test('the password and the token from a file (a mounted Secret), the CA file read once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grid-exporter-config-'));
    writeFileSync(join(dir, 'password'), 's3cretPW\n');
    writeFileSync(join(dir, 'token'), 'tok3n');
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
    expect(
      parseConfig([], {
        ...BASE,
        GRID_EXPORTER_USERNAME: 'admin',
        GRID_EXPORTER_PASSWORD_FILE: join(dir, 'password'),
        GRID_EXPORTER_CA_FILE: join(dir, 'ca.pem'),
      }),
    ).toMatchObject({
      username: 'admin',
      password: 's3cretPW',
      ca: { file: join(dir, 'ca.pem'), pem: '-----BEGIN CERTIFICATE-----\n' },
    });
    expect(parseConfig([], { ...BASE, GRID_EXPORTER_TOKEN_FILE: join(dir, 'token') })).toMatchObject({
      token: 'tok3n',
    });
  });
});

describe('--help', () => {
  test.each([[['--help']], [['once', '-h']], [['--help', '--port', '70000']]])(
    '%j asks for help, whatever else is missing',
    (argv) => {
      expect(parseConfig(argv, {}).command).toBe('help');
    },
  );
});

// --- internal ---

async function _logged(config: unknown): Promise<string> {
  const lines: string[] = [];
  const log = await createLogger({
    name: 'grid-exporter',
    fd: 2,
    redact: REDACT,
    alsoTo: [{ write: (l: string) => void lines.push(l) }],
  });
  log.info({ config }, 'grid-exporter starting');
  expect(JSON.parse(lines[0] as string).config.password ?? '[redacted]').toBe('[redacted]');
  return lines[0] as string;
}
