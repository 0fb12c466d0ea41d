import {
  type CaBundle,
  ConfigError,
  LOG_FORMATS,
  LOG_LEVELS,
  type LogFormat,
  pickSetting,
  readBoolean,
  readCaFile,
  readChoice,
  readCommandLine,
  readInteger,
  readNonEmpty,
  readNumber,
  readSecret,
  readUrl,
  type Setting,
} from '@scrapegrid/program-kit';
import { splitUrlCredentials } from '@scrapegrid/selenium-grid';

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
  /** Read while the configuration is read: a missing file is bad configuration (exit 2). */
  readonly ca: CaBundle | undefined;
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
  --username U              basic auth user                                 GRID_EXPORTER_USERNAME
  --ca-file PATH            PEM CA bundle for an https hub                  GRID_EXPORTER_CA_FILE
  --insecure                accept any TLS certificate                      GRID_EXPORTER_INSECURE
  --pod-deletion-cost       run the pod-deletion-cost controller (serve only)
                                                                            GRID_EXPORTER_POD_DELETION_COST
  --log-level LEVEL         pino level (default info)
  --log-format json|pretty|auto   log lines as JSON (default) or for people (auto: pretty on a terminal)
  --help                    this text
secrets, from the environment or a file only (never flags, which ps shows):
  GRID_EXPORTER_PASSWORD or GRID_EXPORTER_PASSWORD_FILE   basic auth password (with the username)
  GRID_EXPORTER_TOKEN or GRID_EXPORTER_TOKEN_FILE         bearer token, instead of basic auth
  (user:password@ in GRID_EXPORTER_GRID_URL is basic auth too; --grid-url refuses a password)
switches: --insecure is true, --insecure=false or --no-insecure false; their variables take
  true/false, yes/no or 1/0 (any case), empty is unset
exit codes: 0 ok; 1 once could not poll the Grid, or a runtime failure; 2 bad configuration`;

/** Paths of the secrets in a logged `{ config }` (pino redact); the inline pools are long, not secret. */
export const REDACT = ['config.password', 'config.token', 'config.poolsInline', 'config.ca.pem'] as const;

export function parseConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Config {
  const line = readCommandLine(argv, { program: 'grid-exporter', options: OPTIONS, refused: REFUSED });
  if (line.help) return HELP;
  const { values, positionals } = line;
  const command = positionals[0] ?? 'serve';
  if (command !== 'serve' && command !== 'once') {
    throw new ConfigError(`unknown command "${command}" (use serve or once)`);
  }
  if (positionals.length > 1) throw new ConfigError(`unexpected argument "${positionals[1]}"`);
  const setting = <F extends keyof typeof values>(flag: F, name: string) =>
    pickSetting(values, flag, env, `GRID_EXPORTER_${name}`);
  const pick = (flag: keyof typeof values, name: string) => {
    const { raw } = setting(flag, name);
    return typeof raw === 'string' ? readNonEmpty(raw) : undefined;
  };

  const grid = _gridUrl(setting('grid-url', 'GRID_URL'));
  const poolsFile = pick('pools', 'POOLS_FILE');
  const poolsInline = env.GRID_EXPORTER_POOLS || undefined;
  if (poolsFile === undefined && poolsInline === undefined) {
    throw new ConfigError('no pools: set --pools FILE, GRID_EXPORTER_POOLS_FILE or GRID_EXPORTER_POOLS');
  }
  const token = readSecret(env, 'GRID_EXPORTER_TOKEN');
  // The shipped placeholder is refused (program-kit), naming where k8s/ keeps the password.
  const givenPassword = readSecret(
    env,
    'GRID_EXPORTER_PASSWORD',
    'the Secret selenium-grid-router (its key SE_ROUTER_PASSWORD)',
  );
  if (grid.auth && (pick('username', 'USERNAME') !== undefined || token !== undefined)) {
    throw new ConfigError(
      'credentials both in the Grid URL and in GRID_EXPORTER_USERNAME/PASSWORD or GRID_EXPORTER_TOKEN: keep one',
    );
  }
  // Credentials in the URL are basic auth (the one policy of @scrapegrid/selenium-grid).
  const username = grid.auth?.username ?? pick('username', 'USERNAME');
  const password = grid.auth?.password ?? givenPassword;
  if ((username === undefined) !== (password === undefined)) {
    throw new ConfigError(
      'GRID_EXPORTER_USERNAME and GRID_EXPORTER_PASSWORD (or GRID_EXPORTER_PASSWORD_FILE) go together',
    );
  }
  if (token !== undefined && username !== undefined) {
    throw new ConfigError('choose basic auth (USERNAME/PASSWORD) or a bearer TOKEN, not both');
  }
  const pollIntervalSeconds = readNumber(setting('poll-interval', 'POLL_INTERVAL_SECONDS'), {
    min: 0.1,
    fallback: CONFIG_DEFAULTS.pollIntervalSeconds,
  });
  const timeoutSeconds = readNumber(setting('timeout', 'TIMEOUT_SECONDS'), {
    min: 0.1,
    fallback: CONFIG_DEFAULTS.timeoutSeconds,
  });
  const port = readInteger(setting('port', 'PORT'), { min: 0, max: 65_535, fallback: CONFIG_DEFAULTS.port });
  const queueWatchSeconds = readNumber(setting('queue-watch-interval', 'QUEUE_WATCH_INTERVAL_SECONDS'), {
    min: 0,
    fallback: CONFIG_DEFAULTS.queueWatchSeconds,
  });
  const grpcSetting = setting('grpc-port', 'GRPC_PORT');
  const grpcPort =
    readNonEmpty(grpcSetting.raw) === undefined
      ? undefined
      : readInteger(grpcSetting, { min: 0, max: 65_535, fallback: 0 });

  const logLevel = readChoice(setting('log-level', 'LOG_LEVEL'), LOG_LEVELS, 'info');
  const logFormat = readChoice(setting('log-format', 'LOG_FORMAT'), LOG_FORMATS, 'json');

  return Object.freeze({
    command,
    gridUrl: grid.url,
    poolsFile,
    poolsInline,
    host: pick('host', 'HOST') ?? CONFIG_DEFAULTS.host,
    port,
    pollIntervalSeconds,
    timeoutSeconds,
    queueWatchSeconds,
    grpcPort,
    username,
    password,
    token,
    ca: readCaFile(setting('ca-file', 'CA_FILE')),
    insecure: readBoolean(setting('insecure', 'INSECURE')),
    podDeletionCost: readBoolean(setting('pod-deletion-cost', 'POD_DELETION_COST')),
    logLevel,
    logFormat,
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
  'ca-file': { type: 'string' },
  insecure: { type: 'boolean' },
  'pod-deletion-cost': { type: 'boolean' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
} as const;

// Secrets never on the command line (ps shows it): these flags are refused with where to set them.
const REFUSED = {
  password: 'set GRID_EXPORTER_PASSWORD or GRID_EXPORTER_PASSWORD_FILE',
  token: 'set GRID_EXPORTER_TOKEN or GRID_EXPORTER_TOKEN_FILE',
};

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
  ca: undefined,
  insecure: false,
  podDeletionCost: false,
  logFormat: 'json',
});

function _gridUrl(setting: Setting): ReturnType<typeof splitUrlCredentials> {
  const url = readUrl(setting);
  if (url === undefined) throw new ConfigError('no Grid URL: set --grid-url or GRID_EXPORTER_GRID_URL');
  // readUrl has checked it (and named it redacted when bad): splitting cannot fail any more.
  const split = splitUrlCredentials(url, setting.name);
  // KEDA's trigger takes the GraphQL URL itself; accept that form so a trigger's url can be reused.
  return { url: split.url.replace(/\/graphql\/?$/, '').replace(/\/+$/, ''), auth: split.auth };
}
