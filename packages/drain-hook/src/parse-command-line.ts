import { ConfigError, readCommandLine } from '@scrapegrid/program-kit';
import { type DrainHookConfig, type DrainHookFlags, parseConfig } from './parse-config.ts';

export type Command =
  | { readonly kind: 'drain'; readonly config: DrainHookConfig }
  | { readonly kind: 'help' };

/** Reads the command line (`process.argv.slice(2)`) and the environment once. */
export function parseCommandLine(args: readonly string[], env: NodeJS.ProcessEnv): Command {
  const line = readCommandLine(args, { program: 'drain-hook', options: OPTIONS });
  if (line.help) return { kind: 'help' };
  const { values, positionals } = line;

  const [subcommand, ...rest] = positionals;
  if (subcommand !== undefined && subcommand !== 'drain') {
    throw new ConfigError(`unknown command ${JSON.stringify(subcommand)} (see drain-hook --help)`);
  }
  if (rest.length > 0) throw new ConfigError(`unexpected argument ${JSON.stringify(rest[0])}`);
  return { kind: 'drain', config: parseConfig(values satisfies DrainHookFlags, env) };
}

export const USAGE = `drain-hook: preStop hook for a Selenium Grid 4 node. Drains the node (no new sessions),
waits for its running sessions to finish and for it to leave the Grid, and exits before the deadline.

Usage:
  drain-hook [drain] [flags]     drain the node (the default command)
  drain-hook install <dir>       copy the one executable (pod-tools) and its program names
                                 (drain-hook, sidecar-reaper) into <dir>, for an init container
  drain-hook --help

Flags (each overrides its environment variable):
  --node-url URL           node to drain        DRAIN_HOOK_NODE_URL, else SE_SERVER_PROTOCOL://127.0.0.1:SE_NODE_PORT
                                                (default http://127.0.0.1:5555)
  --grid-url URL           hub/router base URL  DRAIN_HOOK_GRID_URL, else SE_SERVER_PROTOCOL://SE_HUB_HOST:SE_HUB_PORT
                                                (or SE_ROUTER_HOST:SE_ROUTER_PORT) + SE_SUB_PATH, else SE_NODE_GRID_URL;
                                                an empty value means "no hub": drain the node only
  --deadline-seconds N     time budget from start; exit 1 when reached with sessions left
                                                DRAIN_HOOK_DEADLINE_SECONDS (default 25). Set it to
                                                terminationGracePeriodSeconds minus a margin (>= 5 s)
  --poll-ms N              node /status poll interval     DRAIN_HOOK_POLL_MS (default 200)
  --http-timeout-ms N      bound of each HTTP call        DRAIN_HOOK_HTTP_TIMEOUT_MS (default 3000)
  --ca-file PATH           PEM CA bundle for https        DRAIN_HOOK_CA_FILE
  --insecure               accept any TLS certificate     DRAIN_HOOK_INSECURE=true
                                                (--insecure=false or --no-insecure override the variable)
  --log-mirror PATH        also write log lines here      DRAIN_HOOK_LOG_MIRROR (default /proc/1/fd/1,
                                                the container's main output, so kubectl logs shows them;
                                                empty to switch off)
  --log-format FORMAT      json (default), pretty, or auto (pretty on a terminal)
                                                DRAIN_HOOK_LOG_FORMAT; the mirror always gets JSON

Secrets come from the environment only, never from flags:
  SE_REGISTRATION_SECRET                   sent as X-REGISTRATION-SECRET (empty header when unset)
  SE_ROUTER_USERNAME / SE_ROUTER_PASSWORD  basic auth to the hub/router
  (credentials in a URL, http://user:password@hub:4444, are taken as basic auth, never logged or
  shown; such a URL goes in DRAIN_HOOK_GRID_URL: --grid-url refuses a password, ps shows it).
  The shipped replace-me placeholders of the k8s Secrets are refused (exit 2).

Booleans take true/false, yes/no or 1/0 (any case); an empty variable is unset.

Exit codes: 0 drained or already gone; 1 deadline reached with sessions left, drain refused, or
interrupted; 2 bad configuration.
`;

// --- internal ---

const OPTIONS = {
  'node-url': { type: 'string' },
  'grid-url': { type: 'string' },
  'deadline-seconds': { type: 'string' },
  'poll-ms': { type: 'string' },
  'http-timeout-ms': { type: 'string' },
  'ca-file': { type: 'string' },
  insecure: { type: 'boolean' },
  'log-mirror': { type: 'string' },
  'log-format': { type: 'string' },
} as const;
