import {
  ConfigError,
  LOG_FORMATS,
  LOG_LEVELS,
  type LogFormat,
  readCommandLine,
} from '@scrapegrid/program-kit';
import { GridError, splitUrlCredentials } from '@scrapegrid/selenium-grid';

/** Everything the program reads from flags and environment, parsed once (flags override env). */
export interface Config {
  readonly command: 'serve' | 'once' | 'help';
  /** The hub's base URL, e.g. http://selenium-hub:4444 (a trailing /graphql is accepted and removed). */
  readonly gridUrl: string;
  readonly poolsFile: string | undefined;
  /** Pools given inline as YAML (GRID_EXPORTER_POOLS), added to the file's. */
  readonly poolsInline: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly pollIntervalSeconds: number;
  /** Seconds between cheap looks at the queue while a pool is at 0 (a new request polls at once); 0 = off. */
  readonly queueWatchSeconds: number;
  /** Port of KEDA's external-push gRPC scaler; undefined = not served. */
  readonly grpcPort: number | undefined;
  readonly timeoutSeconds: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly token: string | undefined;
  readonly caFile: string | undefined;
  readonly insecure: boolean;
  /** Run the pod-deletion-cost controller for pools that name their pods. */
  readonly podDeletionCost: boolean;
  readonly logLevel: string;
  /** json in containers (the default); pretty on a terminal or in the demo. */
  readonly logFormat: LogFormat;
}

export const CONFIG_DEFAULTS = Object.freeze({
  port: 9561,
  host: '0.0.0.0',
  pollIntervalSeconds: 5,
  queueWatchSeconds: 0.25,
  timeoutSeconds: 3,
  logLevel: 'info',
  logFormat: 'json',
});

export const USAGE = `usage: grid-exporter [serve|once] [flags]
  serve (default)   poll the Grid and serve /metrics, /pools/<name>, /healthz, /readyz
  once              poll once, print the exposition text on stdout; exit 1 when the poll failed
flags (env GRID_EXPORTER_<NAME>, flags win):
  --grid-url URL            the hub, e.g. http://selenium-hub:4444 (a trailing /graphql is removed;
                            user:password@ in it is basic auth)            GRID_EXPORTER_GRID_URL
  --pools FILE              pools YAML                                      GRID_EXPORTER_POOLS_FILE
                            (inline YAML: GRID_EXPORTER_POOLS, added to the file's)
  --host H, --port N        listen address (default 0.0.0.0:9561)
  --poll-interval S         seconds between polls (default 5)               GRID_EXPORTER_POLL_INTERVAL_SECONDS
  --queue-watch-interval S  seconds between looks at the queue while a pool is at 0; a new request
                            polls at once (default 0.25; 0 = off)   GRID_EXPORTER_QUEUE_WATCH_INTERVAL_SECONDS
  --grpc-port N             serve KEDA's external-push gRPC scaler on N (default: not served)
                                                                            GRID_EXPORTER_GRPC_PORT
  --timeout S               bound of each Grid call (default 3)             GRID_EXPORTER_TIMEOUT_SECONDS
  --username U --password P, or --token T: basic or bearer auth to the Grid
  --ca-file PATH, --insecure true|false: TLS to the Grid
  --pod-deletion-cost true|false  run the pod-deletion-cost controller (serve only)
  --log-level LEVEL         pino level (default info)
  --log-format json|pretty|auto   log lines as JSON (default) or for people (auto: pretty on a terminal)
  --help                    this text
exit codes: 0 ok; 1 once could not poll the Grid, or a runtime failure; 2 bad configuration`;

/** Paths of the secrets in a logged `{ config }` (pino redact); the inline pools are long, not secret. */
export const REDACT = ['config.password', 'config.token', 'config.poolsInline'] as const;

export function parseConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Config {
  const line = readCommandLine(argv, { program: 'grid-exporter', options: OPTIONS });
  if (line.help) return HELP;
  const { values, positionals } = line;
  const command = positionals[0] ?? 'serve';
  if (command !== 'serve' && command !== 'once') {
    throw new ConfigError(`unknown command "${command}" (use serve or once)`);
  }
  if (positionals.length > 1) throw new ConfigError(`unexpected argument "${positionals[1]}"`);
  const pick = (flag: keyof typeof values, name: string): string | undefined => {
    const value = values[flag] ?? env[`GRID_EXPORTER_${name}`];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };

  const grid = _gridUrl(pick('grid-url', 'GRID_URL'));
  const poolsFile = pick('pools', 'POOLS_FILE');
  const poolsInline = env.GRID_EXPORTER_POOLS || undefined;
  if (poolsFile === undefined && poolsInline === undefined) {
    throw new ConfigError('no pools: set --pools FILE, GRID_EXPORTER_POOLS_FILE or GRID_EXPORTER_POOLS');
  }
  const token = pick('token', 'TOKEN');
  if (grid.auth && (pick('username', 'USERNAME') !== undefined || token !== undefined)) {
    throw new ConfigError(
      'credentials both in the Grid URL and in GRID_EXPORTER_USERNAME/PASSWORD or GRID_EXPORTER_TOKEN: keep one',
    );
  }
  // Credentials in the URL are basic auth (the one policy of @scrapegrid/selenium-grid).
  const username = grid.auth?.username ?? pick('username', 'USERNAME');
  const password = grid.auth?.password ?? pick('password', 'PASSWORD');
  if ((username === undefined) !== (password === undefined)) {
    throw new ConfigError('GRID_EXPORTER_USERNAME and GRID_EXPORTER_PASSWORD go together');
  }
  if (token !== undefined && username !== undefined) {
    throw new ConfigError('choose basic auth (USERNAME/PASSWORD) or a bearer TOKEN, not both');
  }
  const pollIntervalSeconds = _number(
    pick('poll-interval', 'POLL_INTERVAL_SECONDS'),
    'poll interval',
    CONFIG_DEFAULTS.pollIntervalSeconds,
    0.1,
  );
  const timeoutSeconds = _number(
    pick('timeout', 'TIMEOUT_SECONDS'),
    'timeout',
    CONFIG_DEFAULTS.timeoutSeconds,
    0.1,
  );
  const port = _number(pick('port', 'PORT'), 'port', CONFIG_DEFAULTS.port, 0);
  if (!Number.isInteger(port) || port > 65535)
    throw new ConfigError(`port must be an integer 0–65535 (got ${port})`);
  const queueWatchSeconds = _number(
    pick('queue-watch-interval', 'QUEUE_WATCH_INTERVAL_SECONDS'),
    'queue watch interval',
    CONFIG_DEFAULTS.queueWatchSeconds,
    0,
  );
  const grpcPortText = pick('grpc-port', 'GRPC_PORT');
  const grpcPort = grpcPortText === undefined ? undefined : _number(grpcPortText, 'gRPC port', 0, 0);
  if (grpcPort !== undefined && (!Number.isInteger(grpcPort) || grpcPort > 65535))
    throw new ConfigError(`gRPC port must be an integer 0–65535 (got ${grpcPort})`);

  const logLevel = pick('log-level', 'LOG_LEVEL') ?? CONFIG_DEFAULTS.logLevel;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`log level must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }
  const logFormat = pick('log-format', 'LOG_FORMAT') ?? CONFIG_DEFAULTS.logFormat;
  if (!(LOG_FORMATS as readonly string[]).includes(logFormat)) {
    throw new ConfigError(`log format must be one of ${LOG_FORMATS.join(', ')} (got "${logFormat}")`);
  }

  return Object.freeze({
    command,
    gridUrl: grid.url,
    poolsFile,
    poolsInline,
    host: pick('host', 'HOST') ?? CONFIG_DEFAULTS.host,
    port,
    pollIntervalSeconds,
    queueWatchSeconds,
    grpcPort,
    timeoutSeconds,
    username,
    password,
    token,
    caFile: pick('ca-file', 'CA_FILE'),
    insecure: _boolean(pick('insecure', 'INSECURE'), 'insecure'),
    podDeletionCost: _boolean(pick('pod-deletion-cost', 'POD_DELETION_COST'), 'pod deletion cost'),
    logLevel,
    logFormat: logFormat as LogFormat,
  });
}

// --- internal ---

const OPTIONS = {
  'grid-url': { type: 'string' },
  pools: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'poll-interval': { type: 'string' },
  'queue-watch-interval': { type: 'string' },
  'grpc-port': { type: 'string' },
  timeout: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  token: { type: 'string' },
  'ca-file': { type: 'string' },
  insecure: { type: 'string' },
  'pod-deletion-cost': { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
} as const;

// `--help` needs no other setting to be valid: it is answered before anything is checked.
const HELP: Config = Object.freeze({
  ...CONFIG_DEFAULTS,
  command: 'help',
  gridUrl: '',
  grpcPort: undefined,
  poolsFile: undefined,
  poolsInline: undefined,
  username: undefined,
  password: undefined,
  token: undefined,
  caFile: undefined,
  insecure: false,
  podDeletionCost: false,
  logFormat: 'json',
});

function _gridUrl(value: string | undefined): ReturnType<typeof splitUrlCredentials> {
  if (value === undefined) throw new ConfigError('no Grid URL: set --grid-url or GRID_EXPORTER_GRID_URL');
  let split: ReturnType<typeof splitUrlCredentials>;
  try {
    split = splitUrlCredentials(value, 'the Grid URL (--grid-url, GRID_EXPORTER_GRID_URL)');
  } catch (cause) {
    throw cause instanceof GridError ? new ConfigError(cause.message, { cause }) : cause;
  }
  // KEDA's trigger takes the GraphQL URL itself; accept that form so a trigger's url can be reused.
  return { url: split.url.replace(/\/graphql\/?$/, '').replace(/\/+$/, ''), auth: split.auth };
}

function _number(value: string | undefined, what: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw new ConfigError(`${what} must be a number ≥ ${min} (got "${value}")`);
  return n;
}

function _boolean(value: string | undefined, what: string): boolean {
  if (value === undefined) return false;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new ConfigError(`${what} must be true or false (got "${value}")`);
}
