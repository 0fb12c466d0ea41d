import {
  type CaBundle,
  ConfigError,
  LOG_FORMATS,
  type LogFormat,
  pickSetting,
  readBoolean,
  readCaFile,
  readChoice,
  readInteger,
  readNonEmpty,
  readNumber,
  readSecret,
  readUrl,
  type Setting,
} from '@scrapegrid/program-kit';
import { splitUrlCredentials } from '@scrapegrid/selenium-grid';

export interface DrainHookConfig {
  /** Base URL of the node to drain, no trailing slash, no credentials. */
  readonly nodeUrl: string;
  /** Basic auth for the node: credentials given in its URL (the Grid's own policy, selenium-grid). */
  readonly nodeAuth: { readonly username: string; readonly password: string } | undefined;
  /** Base URL of the hub/router (with its sub path), or undefined when no hub is known. */
  readonly gridUrl: string | undefined;
  /** The hook's whole time budget, from its start; must be below terminationGracePeriodSeconds. */
  readonly deadlineMs: number;
  /** How often the node's /status is polled while it drains. */
  readonly pollMs: number;
  /** Upper bound of every HTTP call (also cut short by the deadline). */
  readonly httpTimeoutMs: number;
  /** Sent as X-REGISTRATION-SECRET, empty when the Grid has none (the header must still be there). */
  readonly registrationSecret: string;
  /** Basic auth for the hub/router: SE_ROUTER_USERNAME/PASSWORD or credentials in its URL. */
  readonly hubAuth: { readonly username: string; readonly password: string } | undefined;
  /** PEM bundle trusted for https (in addition to the built-in roots). */
  readonly ca: CaBundle | undefined;
  /** Accept any TLS certificate: only when asked for explicitly. */
  readonly insecure: boolean;
  /** Where log lines are copied besides stdout (the container's main process output), or undefined. */
  readonly logMirror: string | undefined;
  /** How stdout's lines look; the mirror always gets JSON. */
  readonly logFormat: LogFormat;
}

/** Flag values as parsed from the command line (strings; booleans for switches). */
export interface DrainHookFlags {
  'node-url'?: string;
  'grid-url'?: string;
  'deadline-seconds'?: string;
  'poll-ms'?: string;
  'http-timeout-ms'?: string;
  'ca-file'?: string;
  insecure?: boolean;
  'log-mirror'?: string;
  'log-format'?: string;
}

export const DEFAULTS = Object.freeze({
  nodePort: 5555,
  protocol: 'http',
  // Kubernetes' default terminationGracePeriodSeconds is 30: leave 5 s for SIGTERM and the exit.
  deadlineSeconds: 25,
  pollMs: 200,
  httpTimeoutMs: 3_000,
  logMirror: '/proc/1/fd/1',
});

/**
 * Builds the frozen configuration from flags (which win) and the environment: our DRAIN_HOOK_*
 * names, then docker-selenium's SE_* names, then defaults. Throws ConfigError naming what to fix.
 */
export function parseConfig(flags: DrainHookFlags, env: NodeJS.ProcessEnv): DrainHookConfig {
  const setting = <F extends keyof DrainHookFlags>(flag: F, variable: string) =>
    pickSetting(flags, flag, env, variable);
  const protocol = _protocol(env.SE_SERVER_PROTOCOL);
  const nodePort = readInteger(
    { name: 'SE_NODE_PORT', raw: env.SE_NODE_PORT },
    { min: 1, max: 65_535, fallback: DEFAULTS.nodePort },
  );
  const nodeSetting = setting('node-url', 'DRAIN_HOOK_NODE_URL');
  const node = _baseUrl(
    readNonEmpty(nodeSetting.raw) === undefined
      ? { name: 'SE_SERVER_PROTOCOL/SE_NODE_PORT', raw: `${protocol}://127.0.0.1:${nodePort}` }
      : nodeSetting,
  );

  const gridSetting = setting('grid-url', 'DRAIN_HOOK_GRID_URL');
  const grid =
    gridSetting.raw !== undefined
      ? // An explicit empty value switches the hub off, even when SE_HUB_HOST is set.
        readNonEmpty(gridSetting.raw) === undefined
        ? undefined
        : _baseUrl(gridSetting)
      : _gridUrlFromSeleniumEnv(env, protocol);

  const deadlineSeconds = readNumber(setting('deadline-seconds', 'DRAIN_HOOK_DEADLINE_SECONDS'), {
    min: 1,
    max: 86_400,
    fallback: DEFAULTS.deadlineSeconds,
  });
  const pollMs = readNumber(setting('poll-ms', 'DRAIN_HOOK_POLL_MS'), {
    min: 20,
    max: 10_000,
    fallback: DEFAULTS.pollMs,
  });
  const httpTimeoutMs = readNumber(setting('http-timeout-ms', 'DRAIN_HOOK_HTTP_TIMEOUT_MS'), {
    min: 100,
    max: 60_000,
    fallback: DEFAULTS.httpTimeoutMs,
  });

  const username = readNonEmpty(env.SE_ROUTER_USERNAME);
  // The shipped placeholders are refused (program-kit), naming the Secret of k8s/ that holds them.
  const password = readSecret(env, 'SE_ROUTER_PASSWORD', 'the Secret selenium-grid-router') ?? '';
  const registrationSecret =
    readSecret(env, 'SE_REGISTRATION_SECRET', 'the Secret selenium-grid-registration') ?? '';
  if (!username && password) {
    throw new ConfigError('SE_ROUTER_PASSWORD is set but SE_ROUTER_USERNAME is not: set both or neither');
  }
  if (username && grid?.auth) {
    throw new ConfigError(
      'credentials both in the hub URL and in SE_ROUTER_USERNAME/SE_ROUTER_PASSWORD: keep one',
    );
  }
  const hubAuth = grid?.auth ?? (username ? { username, password } : undefined);

  const ca = readCaFile(setting('ca-file', 'DRAIN_HOOK_CA_FILE'));
  const insecure = readBoolean(setting('insecure', 'DRAIN_HOOK_INSECURE'));
  if (ca && insecure) {
    throw new ConfigError(
      '--ca-file/DRAIN_HOOK_CA_FILE and --insecure/DRAIN_HOOK_INSECURE exclude each other',
    );
  }

  const mirror = flags['log-mirror'] ?? env.DRAIN_HOOK_LOG_MIRROR ?? DEFAULTS.logMirror;
  const logFormat = readChoice(setting('log-format', 'DRAIN_HOOK_LOG_FORMAT'), LOG_FORMATS, 'json');

  return Object.freeze({
    nodeUrl: node.url,
    nodeAuth: node.auth && Object.freeze(node.auth),
    gridUrl: grid?.url,
    deadlineMs: Math.round(deadlineSeconds * 1000),
    pollMs,
    httpTimeoutMs,
    registrationSecret,
    hubAuth: hubAuth && Object.freeze(hubAuth),
    ca,
    insecure,
    logMirror: mirror === '' ? undefined : mirror,
    logFormat,
  });
}

/** Paths of the secrets in a logged `{ config }` (pino redact); the CA is long, not secret. */
export const REDACT = [
  'config.registrationSecret',
  'config.hubAuth.password',
  'config.nodeAuth.password',
  'config.ca.pem',
] as const;

// --- internal ---

function _gridUrlFromSeleniumEnv(env: NodeJS.ProcessEnv, protocol: string): BaseUrl | undefined {
  // Same order as docker-selenium's nodeGridUrl.sh: hub, then router, then SE_NODE_GRID_URL.
  const host = readNonEmpty(env.SE_HUB_HOST) ?? readNonEmpty(env.SE_ROUTER_HOST);
  const portName = readNonEmpty(env.SE_HUB_PORT) ? 'SE_HUB_PORT' : 'SE_ROUTER_PORT';
  const port = readInteger({ name: portName, raw: env[portName] }, { min: 1, max: 65_535, fallback: 0 });
  if (host && port) {
    return _baseUrl({
      name: 'SE_HUB_HOST/SE_ROUTER_HOST',
      raw: `${protocol}://${host}:${port}${_subPath(env.SE_SUB_PATH)}`,
    });
  }
  const nodeGridUrl = { name: 'SE_NODE_GRID_URL', raw: env.SE_NODE_GRID_URL };
  return readNonEmpty(nodeGridUrl.raw) ? _baseUrl(nodeGridUrl) : undefined;
}

function _subPath(raw: string | undefined): string {
  const trimmed = (raw ?? '').trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

interface BaseUrl {
  readonly url: string;
  readonly auth: { readonly username: string; readonly password: string } | undefined;
}

/** Credentials in the URL become basic auth and leave it: the Grid client's one policy. */
function _baseUrl(setting: Setting): BaseUrl {
  // readUrl has checked it (and named it redacted when bad): splitting cannot fail any more.
  const split = splitUrlCredentials(readUrl(setting) as string, setting.name);
  const url = new URL(split.url);
  if (url.search || url.hash) {
    throw new ConfigError(
      `${setting.name}: a base URL takes no query or fragment, got ${JSON.stringify(split.url)}`,
    );
  }
  return {
    url: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    auth: split.auth && { username: split.auth.username, password: split.auth.password },
  };
}

function _protocol(raw: string | undefined): string {
  const value = (readNonEmpty(raw) ?? DEFAULTS.protocol).toLowerCase();
  if (value !== 'http' && value !== 'https') {
    throw new ConfigError(`SE_SERVER_PROTOCOL must be http or https, got ${JSON.stringify(raw)}`);
  }
  return value;
}
