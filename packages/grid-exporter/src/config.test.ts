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
      'GRID_EXPORTER_GRID_URL): only http and https URLs work, got ftp:',
    ],
    [[], { GRID_EXPORTER_GRID_URL: 'hub 4444' }, 'GRID_EXPORTER_GRID_URL): "hub 4444" is not a URL'],
    [[], { ...BASE, GRID_EXPORTER_LOG_FORMAT: 'xml' }, 'log format must be one of json, pretty, auto'],
    [['--log-level', 'loud'], BASE, 'log level must be one of'],
    [[], { GRID_EXPORTER_GRID_URL: 'http://x' }, 'no pools'],
    [[], { ...BASE, GRID_EXPORTER_PORT: '70000' }, 'port must be'],
    [[], { ...BASE, GRID_EXPORTER_POLL_INTERVAL_SECONDS: 'soon' }, 'poll interval'],
    [[], { ...BASE, GRID_EXPORTER_QUEUE_WATCH_INTERVAL_SECONDS: '-1' }, 'queue watch interval must be'],
    [['--grpc-port', '70000'], BASE, 'gRPC port must be an integer 0–65535 (got 70000)'],
    [[], { ...BASE, GRID_EXPORTER_USERNAME: 'u' }, 'go together'],
    [
      [],
      { ...BASE, GRID_EXPORTER_USERNAME: 'u', GRID_EXPORTER_PASSWORD: 'p', GRID_EXPORTER_TOKEN: 't' },
      'not both',
    ],
    [[], { ...BASE, GRID_EXPORTER_INSECURE: 'maybe' }, 'insecure must be'],
    [
      [],
      { ...BASE, GRID_EXPORTER_GRID_URL: 'http://a:b@hub:4444', GRID_EXPORTER_TOKEN: 't' },
      'credentials both in the Grid URL and in GRID_EXPORTER_USERNAME/PASSWORD or GRID_EXPORTER_TOKEN: keep one',
    ],
  ])('%j %j fails: %s', (argv, env, message) => {
    expect(() => parseConfig(argv, env)).toThrow(ConfigError);
    expect(() => parseConfig(argv, env)).toThrow(message);
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
