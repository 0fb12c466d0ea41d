import { redactUrl } from '@scrapegrid/selenium-grid';
import { DEFAULT_SENTINEL_PATH } from '@scrapegrid/sentinel';

/** Everything the reaper is told, parsed once from flags and env (flags win), then frozen. */
export interface Config {
  readonly mode: 'supervise' | 'install';
  /** `install <dir>`: where to copy the executable. */
  readonly installDir: string;
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
  readonly command: string;
  readonly args: readonly string[];
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

export const USAGE = `usage: sidecar-reaper [flags] -- <command> [args...]
       sidecar-reaper install <dir>
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
secret: SIDECAR_REAPER_REGISTRATION_SECRET or SE_REGISTRATION_SECRET`;

/** Parses argv (without node and script) and env into a frozen Config, or throws ConfigError. */
export function parseConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Config {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const commandLine = split === -1 ? [] : argv.slice(split + 1);
  const { flags, positionals } = _parseFlags(own);
  const pick = (name: string): string | undefined =>
    flags.get(name) ?? env[`SIDECAR_REAPER_${name.toUpperCase().replaceAll('-', '_')}`];

  const base = {
    sentinelPath: pick('sentinel-path') ?? DEFAULT_SENTINEL_PATH,
    pollIntervalMs: _number('poll-interval-ms', pick('poll-interval-ms'), 1000, 10),
    graceMs: _number('grace-seconds', pick('grace-seconds'), 10, 0) * 1000,
    drainNodeUrl: _url('drain-node-url', pick('drain-node-url')),
    drainTimeoutMs: _number('drain-timeout-seconds', pick('drain-timeout-seconds'), 30, 0) * 1000,
    drainGridUrl: _url('drain-grid-url', pick('drain-grid-url')),
    waitNodesGoneHubUrl: _url('wait-nodes-gone-hub-url', pick('wait-nodes-gone-hub-url')),
    waitNodesGoneTimeoutMs:
      _number('wait-nodes-gone-timeout-seconds', pick('wait-nodes-gone-timeout-seconds'), 30, 0) * 1000,
    registrationSecret: env.SIDECAR_REAPER_REGISTRATION_SECRET ?? env.SE_REGISTRATION_SECRET ?? '',
    workerContainer: pick('worker-container') ?? 'worker',
    podName: _optional(pick('pod-name')),
    podNamespace: _optional(pick('pod-namespace')),
    kubeconfigPath: _optional(pick('kubeconfig')),
    inCluster: Boolean(env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT),
    logLevel: pick('log-level') ?? 'info',
  };
  if (base.sentinelPath.trim() === '') {
    throw new ConfigError('the sentinel path is empty: set --sentinel-path or SIDECAR_REAPER_SENTINEL_PATH');
  }
  if (!base.sentinelPath.startsWith('/')) {
    throw new ConfigError(`the sentinel path must be absolute, got ${JSON.stringify(base.sentinelPath)}`);
  }
  if ((base.podName === undefined) !== (base.podNamespace === undefined)) {
    throw new ConfigError(
      'set both SIDECAR_REAPER_POD_NAME and SIDECAR_REAPER_POD_NAMESPACE (downward API metadata.name and metadata.namespace), or neither',
    );
  }
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(base.logLevel)) {
    throw new ConfigError(`unknown log level ${JSON.stringify(base.logLevel)}`);
  }

  if (positionals[0] === 'install') {
    if (positionals.length !== 2 || commandLine.length > 0) {
      throw new ConfigError('install takes exactly one directory: sidecar-reaper install <dir>');
    }
    return Object.freeze({
      ...base,
      mode: 'install',
      installDir: positionals[1] as string,
      command: '',
      args: [],
    });
  }
  if (positionals.length > 0) {
    throw new ConfigError(`unexpected argument ${JSON.stringify(positionals[0])}: put the command after --`);
  }
  const [command, ...args] = commandLine;
  if (command === undefined || command === '') {
    throw new ConfigError('no command to supervise: give it after --, e.g. -- /opt/bin/entry_point.sh');
  }
  return Object.freeze({ ...base, mode: 'supervise', installDir: '', command, args: Object.freeze(args) });
}

/**
 * The config as logged once at start: the secret is never printed, nor a password in a Grid URL
 * (credentials in a URL are basic auth to the Grid client: the one policy of @scrapegrid/selenium-grid).
 */
export function redactConfig(config: Config): Record<string, unknown> {
  const url = (raw: string | undefined) => raw && redactUrl(raw);
  return {
    ...config,
    registrationSecret: config.registrationSecret ? '[redacted]' : '',
    drainNodeUrl: url(config.drainNodeUrl),
    drainGridUrl: url(config.drainGridUrl),
    waitNodesGoneHubUrl: url(config.waitNodesGoneHubUrl),
  };
}

// --- internal ---

const FLAGS = new Set([
  'sentinel-path',
  'poll-interval-ms',
  'grace-seconds',
  'drain-node-url',
  'drain-timeout-seconds',
  'drain-grid-url',
  'wait-nodes-gone-hub-url',
  'wait-nodes-gone-timeout-seconds',
  'worker-container',
  'pod-name',
  'pod-namespace',
  'kubeconfig',
  'log-level',
]);

function _parseFlags(argv: readonly string[]): { flags: Map<string, string>; positionals: string[] } {
  const flags = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (!FLAGS.has(name)) throw new ConfigError(`unknown flag --${name}\n${USAGE}`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new ConfigError(`--${name} needs a value`);
    flags.set(name, value);
  }
  return { flags, positionals };
}

function _number(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    throw new ConfigError(`${name} must be a number ≥ ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function _url(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch (error) {
    throw new ConfigError(`${name} must be an http(s) URL, got ${JSON.stringify(redactUrl(raw))}`, {
      cause: error,
    });
  }
  return raw.replace(/\/+$/, '');
}

function _optional(raw: string | undefined): string | undefined {
  return raw === undefined || raw === '' ? undefined : raw;
}
