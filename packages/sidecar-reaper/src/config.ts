import {
  ConfigError,
  LOG_FORMATS,
  LOG_LEVELS,
  type LogFormat,
  pickSetting,
  readChoice,
  readCommandLine,
  readNonEmpty,
  readNumber,
  readSecret,
  readUrl,
  redactUrl,
  type Setting,
} from '@scrapegrid/program-kit';
import { DEFAULT_SENTINEL_PATH } from '@scrapegrid/sentinel';

/** Everything the reaper is told, parsed once from flags and env (flags win), then frozen. */
export interface Config {
  readonly mode: 'supervise' | 'help';
  readonly sentinelPath: string;
  readonly pollIntervalMs: number;
  readonly graceMs: number;
  /** Chrome container: drain this node before SIGTERM (e.g. http://127.0.0.1:5555). */
  readonly drainNodeUrl: string | undefined;
  readonly drainTimeoutMs: number;
  /** Chrome container: the hub the node is registered with, drained through too (as drain-hook does). */
  readonly drainGridUrl: string | undefined;
  /** Hub container: wait (bounded) until this hub lists no node before SIGTERM. */
  readonly waitNodesGoneHubUrl: string | undefined;
  readonly waitNodesGoneTimeoutMs: number;
  readonly registrationSecret: string;
  readonly workerContainer: string;
  readonly podName: string | undefined;
  readonly podNamespace: string | undefined;
  /** A kubeconfig file; without it the in-cluster service account is used when present. */
  readonly kubeconfigPath: string | undefined;
  readonly inCluster: boolean;
  readonly logLevel: string;
  /** json in containers (the default); pretty on a terminal or in the demo. */
  readonly logFormat: LogFormat;
  readonly command: string;
  readonly args: readonly string[];
}

export const USAGE = `usage: sidecar-reaper [flags] -- <command> [args...]
       sidecar-reaper install <dir>    copy the one executable (pod-tools) and its program names into <dir>
       sidecar-reaper --help
flags (env SIDECAR_REAPER_<NAME>, flags win):
  --sentinel-path PATH            sentinel file the worker writes (default ${DEFAULT_SENTINEL_PATH})
  --poll-interval-ms N            fallback poll when inotify misses events (default 1000)
  --grace-seconds N               SIGTERM → SIGKILL grace (default 10)
  --drain-node-url URL            drain this Selenium node first (chrome container)
  --drain-timeout-seconds N       wait for the drained node to exit (default 30)
  --drain-grid-url URL            the node's hub: drain through it too (chrome container)
  --wait-nodes-gone-hub-url URL   wait until this hub lists no node (hub container)
  --wait-nodes-gone-timeout-seconds N  (default 30)
  --worker-container NAME         container to watch through the Kubernetes API (default worker)
  --pod-name NAME, --pod-namespace NS  from the downward API
  --kubeconfig PATH               out-of-cluster API access
  --log-level LEVEL               pino level (default info)
  --log-format json|pretty|auto   log lines as JSON (default) or for people (auto: pretty on a terminal)
secret: SIDECAR_REAPER_REGISTRATION_SECRET or SE_REGISTRATION_SECRET (or a file: the name + _FILE);
the shipped replace-me placeholder of the k8s Secret is refused (exit 2)
a URL with user:password@ goes in its variable (the flags refuse a password: ps shows them);
an empty variable is unset`;

/** Parses argv (without node and script) and env into a frozen Config, or throws ConfigError. */
export function parseConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Config {
  const line = readCommandLine(argv, { program: 'sidecar-reaper', rest: true, options: OPTIONS });
  if (line.help) return HELP;
  const { values: flags, positionals, rest: commandLine } = line;
  const setting = (name: keyof typeof OPTIONS): Setting =>
    pickSetting(flags, name, env, `SIDECAR_REAPER_${name.toUpperCase().replaceAll('-', '_')}`);
  const text = (name: keyof typeof OPTIONS): string | undefined => readNonEmpty(setting(name).raw);
  const seconds = (name: keyof typeof OPTIONS, fallback: number): number =>
    readNumber(setting(name), { min: 0, fallback }) * 1000;

  const base = {
    // Blank is the default, as for the worker that writes it: both then agree on the path.
    sentinelPath: text('sentinel-path') ?? DEFAULT_SENTINEL_PATH,
    pollIntervalMs: readNumber(setting('poll-interval-ms'), { min: 10, fallback: 1000 }),
    graceMs: seconds('grace-seconds', 10),
    drainNodeUrl: _url(setting('drain-node-url')),
    drainTimeoutMs: seconds('drain-timeout-seconds', 30),
    drainGridUrl: _url(setting('drain-grid-url')),
    waitNodesGoneHubUrl: _url(setting('wait-nodes-gone-hub-url')),
    waitNodesGoneTimeoutMs: seconds('wait-nodes-gone-timeout-seconds', 30),
    // The shipped placeholder is refused (program-kit); only the secret used is checked.
    registrationSecret:
      readSecret(env, 'SIDECAR_REAPER_REGISTRATION_SECRET') ??
      readSecret(env, 'SE_REGISTRATION_SECRET', 'the Secret scrape-job-grid-registration') ??
      '',
    workerContainer: text('worker-container') ?? 'worker',
    podName: text('pod-name'),
    podNamespace: text('pod-namespace'),
    kubeconfigPath: text('kubeconfig'),
    inCluster: Boolean(env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT),
    logLevel: readChoice(setting('log-level'), LOG_LEVELS, 'info'),
    logFormat: readChoice(setting('log-format'), LOG_FORMATS, 'json'),
  };
  if (!base.sentinelPath.startsWith('/')) {
    throw new ConfigError(`the sentinel path must be absolute, got ${JSON.stringify(base.sentinelPath)}`);
  }
  if ((base.podName === undefined) !== (base.podNamespace === undefined)) {
    throw new ConfigError(
      'set both SIDECAR_REAPER_POD_NAME and SIDECAR_REAPER_POD_NAMESPACE (downward API metadata.name and metadata.namespace), or neither',
    );
  }

  if (positionals.length > 0) {
    throw new ConfigError(`unexpected argument ${JSON.stringify(positionals[0])}: put the command after --`);
  }
  const [command, ...args] = commandLine;
  if (command === undefined || command === '') {
    throw new ConfigError('no command to supervise: give it after --, e.g. -- /opt/bin/entry_point.sh');
  }
  return Object.freeze({ ...base, mode: 'supervise', command, args: Object.freeze(args) });
}

/**
 * Paths of the secrets in a logged `{ config }` (pino redact): the secret is never printed, nor a
 * password in a Grid URL (credentials in a URL are basic auth to the Grid client: the one policy
 * of @scrapegrid/selenium-grid; program-kit's redactUrl keeps the rest of the URL).
 */
export const REDACT = ['config.registrationSecret'] as const;
export const REDACT_URLS = {
  paths: ['config.drainNodeUrl', 'config.drainGridUrl', 'config.waitNodesGoneHubUrl'],
  redact: redactUrl,
} as const;

// --- internal ---

const OPTIONS = {
  'sentinel-path': { type: 'string' },
  'poll-interval-ms': { type: 'string' },
  'grace-seconds': { type: 'string' },
  'drain-node-url': { type: 'string' },
  'drain-timeout-seconds': { type: 'string' },
  'drain-grid-url': { type: 'string' },
  'wait-nodes-gone-hub-url': { type: 'string' },
  'wait-nodes-gone-timeout-seconds': { type: 'string' },
  'worker-container': { type: 'string' },
  'pod-name': { type: 'string' },
  'pod-namespace': { type: 'string' },
  kubeconfig: { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
} as const;

// `--help` needs no other setting to be valid: it is answered before anything is checked.
const HELP: Config = Object.freeze({
  mode: 'help',
  sentinelPath: DEFAULT_SENTINEL_PATH,
  pollIntervalMs: 0,
  graceMs: 0,
  drainNodeUrl: undefined,
  drainTimeoutMs: 0,
  drainGridUrl: undefined,
  waitNodesGoneHubUrl: undefined,
  waitNodesGoneTimeoutMs: 0,
  registrationSecret: '',
  workerContainer: '',
  podName: undefined,
  podNamespace: undefined,
  kubeconfigPath: undefined,
  inCluster: false,
  logLevel: 'info',
  logFormat: 'json',
  command: '',
  args: [],
});

function _url(setting: Setting): string | undefined {
  return readUrl(setting)?.replace(/\/+$/, '');
}
