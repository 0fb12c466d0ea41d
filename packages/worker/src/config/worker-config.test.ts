import { ConfigError } from '@scrapegrid/program-kit';
import { DEFAULT_SENTINEL_PATH } from '@scrapegrid/sentinel';
import { describe, expect, test } from 'vitest';
import { parseWorkerConfig } from './worker-config.ts';

describe('parseWorkerConfig', () => {
  test('defaults: run, metrics on 9010, the shared sentinel path, no Embulk, info logs', () => {
    expect(parseWorkerConfig(['run', 'job.yaml'], {})).toEqual({
      command: 'run',
      specPath: 'job.yaml',
      metricsPort: 9010,
      sentinelPath: DEFAULT_SENTINEL_PATH,
      embulkTimeoutMs: 3_600_000,
      logLevel: 'info',
      logFormat: 'json',
    });
  });

  test.each([[['--help']], [['-h']], [['run', 'job.yaml', '--help']]])(
    '%j asks for help, whatever else is wrong',
    (argv) => {
      expect(parseWorkerConfig(argv, { WORKER_METRICS_PORT: 'x' }).command).toBe('help');
    },
  );

  test('reads every WORKER_ variable; the result is frozen', () => {
    const config = parseWorkerConfig([], {
      WORKER_SPEC_PATH: '/etc/worker/job.yaml',
      WORKER_METRICS_PORT: '9999',
      WORKER_SENTINEL_PATH: '/tmp/x/done.json',
      WORKER_EMBULK_JAR: '/opt/embulk/embulk.jar',
      WORKER_EMBULK_TIMEOUT_SECONDS: '60',
      WORKER_GRID_URL: 'http://hub:4444',
      WORKER_LOG_LEVEL: 'debug',
      WORKER_LOG_FORMAT: 'pretty',
    });
    expect(config).toEqual({
      command: 'run',
      specPath: '/etc/worker/job.yaml',
      metricsPort: 9999,
      sentinelPath: '/tmp/x/done.json',
      embulkCommand: ['java', '-jar', '/opt/embulk/embulk.jar'],
      embulkTimeoutMs: 60_000,
      gridUrl: 'http://hub:4444',
      logLevel: 'debug',
      logFormat: 'pretty',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('WORKER_EMBULK_COMMAND is split like a command line, quotes kept together', () => {
    const config = parseWorkerConfig(['validate', 'a.yaml'], {
      WORKER_EMBULK_COMMAND: `node "/my dir/stand-in.ts" --flag 'two words'`,
    });
    expect(config.command).toBe('validate');
    expect(config.embulkCommand).toEqual(['node', '/my dir/stand-in.ts', '--flag', 'two words']);
  });

  test.each([
    [['crawl', 'a.yaml'], {}, 'unknown command "crawl"'],
    [['run'], {}, 'no job spec given'],
    [['run', 'a.yaml', 'b.yaml'], {}, 'unexpected arguments: b.yaml'],
    [
      ['run', 'a.yaml'],
      { WORKER_METRICS_PORT: 'http' },
      'WORKER_METRICS_PORT must be an integer from 0 to 65535, got "http"',
    ],
    [
      ['run', 'a.yaml'],
      { WORKER_METRICS_PORT: '70000' },
      'WORKER_METRICS_PORT must be an integer from 0 to 65535, got "70000"',
    ],
    [
      ['run', 'a.yaml'],
      { WORKER_EMBULK_TIMEOUT_SECONDS: '0' },
      'WORKER_EMBULK_TIMEOUT_SECONDS must be an integer from 1 to 604800, got "0"',
    ],
    [['run', 'a.yaml'], { WORKER_EMBULK_JAR: 'a.jar', WORKER_EMBULK_COMMAND: 'embulk' }, 'not both'],
    [
      ['run', 'a.yaml'],
      { WORKER_GRID_URL: 'file:///etc/passwd' },
      'WORKER_GRID_URL must be an http or https URL, got "file:///etc/passwd"',
    ],
    // Issue 19: the URL is named redacted, parsable or not, since the message reaches the sentinel.
    [
      ['run', 'a.yaml'],
      { WORKER_GRID_URL: 'http://user:s3cretPW@127.0.0.1:notaport/' },
      'WORKER_GRID_URL must be an http or https URL, got "http://user:***@127.0.0.1:notaport/"',
    ],
    [
      ['run', 'a.yaml'],
      { WORKER_GRID_URL: 'ftp://user:s3cretPW@127.0.0.1/' },
      'WORKER_GRID_URL must be an http or https URL, got "ftp://user:***@127.0.0.1/"',
    ],
    [
      ['run', 'a.yaml'],
      { WORKER_LOG_LEVEL: 'loud' },
      'WORKER_LOG_LEVEL must be one of trace, debug, info, warn, error, fatal',
    ],
    [
      ['run', 'a.yaml'],
      { WORKER_LOG_FORMAT: 'xml' },
      'WORKER_LOG_FORMAT must be one of json, pretty, auto, got "xml"',
    ],
    [['run', 'a.yaml', '--nope'], {}, "Unknown option '--nope'"],
  ] as const)('%j %j is refused: %s', (argv, env, message) => {
    expect(() => parseWorkerConfig(argv, env)).toThrow(ConfigError);
    expect(() => parseWorkerConfig(argv, env)).toThrow(message);
    expect(() => parseWorkerConfig(argv, env)).not.toThrow('s3cretPW');
  });

  test('a blank variable is its default, as in every program', () => {
    expect(
      parseWorkerConfig(['run', 'a.yaml'], {
        WORKER_METRICS_PORT: ' ',
        WORKER_GRID_URL: '',
        WORKER_SENTINEL_PATH: '',
      }),
    ).toMatchObject({ metricsPort: 9010, sentinelPath: DEFAULT_SENTINEL_PATH });
    expect(parseWorkerConfig(['run', 'a.yaml'], { WORKER_GRID_URL: '' }).gridUrl).toBeUndefined();
  });

  test('every problem is reported at once', () => {
    const error = (() => {
      try {
        parseWorkerConfig(['run'], { WORKER_METRICS_PORT: 'x', WORKER_LOG_LEVEL: 'loud' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.message.split('\n')).toHaveLength(3);
  });

  test('JOB_COMPLETION_INDEX and WORKER_SHARDS: this pod is one shard of the crawl', () => {
    const config = parseWorkerConfig(['run', 'a.yaml'], { JOB_COMPLETION_INDEX: '1', WORKER_SHARDS: '3' });
    expect(config.shard).toEqual({ index: 1, count: 3 });
  });

  test('a shard problem is a ShardError (SHARD_INVALID, exit 2) naming the other problems too', () => {
    expect(() =>
      parseWorkerConfig(['run', 'a.yaml'], {
        JOB_COMPLETION_INDEX: '3',
        WORKER_SHARDS: '3',
        WORKER_METRICS_PORT: 'x',
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'SHARD_INVALID',
        message: expect.stringMatching(
          /^WORKER_METRICS_PORT.*\nJOB_COMPLETION_INDEX 3 is not below WORKER_SHARDS 3 \(indexes are 0\.\.2\)$/s,
        ),
      }),
    );
    expect(() => parseWorkerConfig(['run', 'a.yaml'], { WORKER_METRICS_PORT: 'x' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
