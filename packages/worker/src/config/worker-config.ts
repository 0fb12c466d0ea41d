import {
  ConfigError,
  LOG_FORMATS,
  type LogFormat,
  readChoice,
  readCommandLine,
  readInteger,
  readNonEmpty,
} from '@scrapegrid/program-kit';
import { DEFAULT_SENTINEL_PATH } from '@scrapegrid/sentinel';
import { readShard, type Shard } from '../shard/read-shard.ts';
import { ShardError } from '../shard/shard-error.ts';
import { readGridUrl } from './read-grid-url.ts';

export type WorkerCommand = 'run' | 'validate' | 'help';

/** Everything the worker reads from its command line and environment, parsed once. */
export interface WorkerConfig {
  command: WorkerCommand;
  specPath: string;
  metricsPort: number;
  sentinelPath: string;
  /** The Embulk command line before `run <config>`; undefined: the transfer is skipped. */
  embulkCommand?: readonly string[];
  embulkTimeoutMs: number;
  /** Where the resolved Embulk config (it holds secrets) is written: memory-backed; default /dev/shm. */
  embulkConfigDir?: string;
  /** Overrides the spec's browser.gridUrl. */
  gridUrl?: string;
  /** This pod's share of the crawl in an Indexed Job; undefined: the whole crawl. */
  shard?: Shard;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** json in containers (the default); pretty on a terminal or in the demo. */
  logFormat: LogFormat;
}

export const USAGE = 'usage: worker run <spec.yaml> | worker validate <spec.yaml> (or WORKER_SPEC_PATH)';

/** What `worker --help` prints. */
export const HELP_TEXT = `${USAGE}
  run        scrape as the spec says, write JSON Lines and a manifest, then run Embulk; writes the
             sentinel the sidecar-reapers wait for on every path
  validate   check the spec and exit (0 valid, 2 not)
environment:
  WORKER_SPEC_PATH                  the spec when not given as an argument
  WORKER_GRID_URL                   overrides the spec's browser.gridUrl (user:password@ is basic auth)
  WORKER_GRID_USERNAME | WORKER_GRID_PASSWORD   basic auth for WORKER_GRID_URL (e.g. from a Secret)
  WORKER_METRICS_PORT               Prometheus /metrics (default 9010; 0 picks a free port)
  WORKER_SENTINEL_PATH              default ${DEFAULT_SENTINEL_PATH}
  WORKER_EMBULK_JAR | WORKER_EMBULK_COMMAND   how to run Embulk (neither: the transfer is skipped)
  WORKER_EMBULK_TIMEOUT_SECONDS     default 3600
  WORKER_EMBULK_CONFIG_DIR          memory-backed directory for the resolved Embulk config (default /dev/shm)
  WORKER_SHARDS                     the Indexed Job's completions; with JOB_COMPLETION_INDEX this pod scrapes
                                    and loads only its share of the start URLs (docs/job-spec.md)
  WORKER_TERMINATION_MESSAGE_PATH   where \`run\` writes its one-line JSON summary on exit (shard, records, pages,
                                    exit code); in a pod /dev/termination-log. Unset: not written
  WORKER_LOG_LEVEL                  trace, debug, info (default), warn, error, fatal
  WORKER_LOG_FORMAT                 json (default), pretty, or auto (pretty on a terminal)
exit codes: 0 done; 1 scrape or transfer failed, or stopped by a signal; 2 bad spec or configuration`;

/**
 * Parses `worker run|validate <spec.yaml>` and the WORKER_* variables into a frozen object; every
 * problem is reported at once in one ConfigError (the program exits 2 on it).
 */
export function parseWorkerConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Readonly<WorkerConfig> {
  const line = readCommandLine(argv, { program: 'worker', options: {} });
  if (line.help) return HELP;
  const problems: string[] = [];
  const [commandArg, specArg, ...extra] = line.positionals;
  const command = commandArg ?? 'run';
  if (command !== 'run' && command !== 'validate') problems.push(`unknown command "${command}"; ${USAGE}`);
  if (extra.length > 0) problems.push(`unexpected arguments: ${extra.join(' ')}; ${USAGE}`);
  const specPath = specArg ?? readNonEmpty(env.WORKER_SPEC_PATH);
  if (specPath === undefined) problems.push(`no job spec given; ${USAGE}`);

  const metricsPort = _collect(problems, 9010, () =>
    readInteger(
      { name: 'WORKER_METRICS_PORT', raw: env.WORKER_METRICS_PORT },
      { min: 0, max: 65535, fallback: 9010 },
    ),
  );
  const timeoutSeconds = _collect(problems, 3600, () =>
    readInteger(
      { name: 'WORKER_EMBULK_TIMEOUT_SECONDS', raw: env.WORKER_EMBULK_TIMEOUT_SECONDS },
      { min: 1, max: 7 * 24 * 3600, fallback: 3600 },
    ),
  );

  const jar = readNonEmpty(env.WORKER_EMBULK_JAR);
  const commandLine = readNonEmpty(env.WORKER_EMBULK_COMMAND);
  if (jar !== undefined && commandLine !== undefined)
    problems.push('set WORKER_EMBULK_JAR or WORKER_EMBULK_COMMAND, not both');
  const embulkCommand =
    commandLine !== undefined ? _splitCommandLine(commandLine) : jar && ['java', '-jar', jar];

  const embulkConfigDir = readNonEmpty(env.WORKER_EMBULK_CONFIG_DIR);
  // A bad one is named redacted (program-kit): the message reaches the log and the sentinel.
  const gridUrl = _collect(problems, undefined, () => readGridUrl(env));

  const logLevel = _collect(problems, 'info', () =>
    readChoice({ name: 'WORKER_LOG_LEVEL', raw: env.WORKER_LOG_LEVEL }, LOG_LEVELS, 'info'),
  );
  const logFormat = _collect(problems, 'json', () =>
    readChoice({ name: 'WORKER_LOG_FORMAT', raw: env.WORKER_LOG_FORMAT }, LOG_FORMATS, 'json'),
  );

  // Its own code (SHARD_INVALID): a shard problem is named apart from the rest.
  let shardProblem = false;
  const shard = _collect(problems, undefined, () => {
    try {
      return readShard(env);
    } catch (error) {
      shardProblem = error instanceof ShardError;
      throw error;
    }
  });

  if (problems.length > 0) {
    const message = problems.join('\n');
    throw shardProblem ? new ShardError(message) : new ConfigError(message);
  }
  return Object.freeze({
    command: command as WorkerCommand,
    specPath: specPath!,
    metricsPort,
    sentinelPath: readNonEmpty(env.WORKER_SENTINEL_PATH) ?? DEFAULT_SENTINEL_PATH,
    ...(embulkCommand ? { embulkCommand: Object.freeze(embulkCommand) } : {}),
    embulkTimeoutMs: timeoutSeconds * 1000,
    ...(embulkConfigDir ? { embulkConfigDir } : {}),
    ...(gridUrl ? { gridUrl } : {}),
    ...(shard ? { shard } : {}),
    logLevel,
    logFormat,
  });
}

/** Paths of the secrets in a logged `{ config }`: the Grid URL keeps all but its password. */
export const REDACT_URLS = ['config.gridUrl'] as const;

// --- internal ---

// `--help` needs no other setting to be valid: it is answered before anything is checked.
const HELP: Readonly<WorkerConfig> = Object.freeze({
  command: 'help',
  specPath: '',
  metricsPort: 9010,
  sentinelPath: DEFAULT_SENTINEL_PATH,
  embulkTimeoutMs: 3_600_000,
  logLevel: 'info',
  logFormat: 'json',
});

const LOG_LEVELS: readonly WorkerConfig['logLevel'][] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Every problem is reported at once: a reader's ConfigError joins the list, its fallback stands in. */
function _collect<T>(problems: string[], fallback: T, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
    return fallback;
  }
}

/** Splits a command line on spaces, honouring single and double quotes (no shell is involved). */
function _splitCommandLine(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g))
    words.push(match[1] ?? match[2] ?? match[3]!);
  return words;
}
