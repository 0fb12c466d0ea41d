import {
  ConfigError,
  readChoice,
  readCommandLine,
  readInteger,
  readNumber,
  readSecret,
} from '@scrapegrid/program-kit';
import { assertInternalUrl } from './assert-internal-url.ts';
import type { LoadProfile } from './load-profile.ts';
import { LOAD_PROFILES } from './load-profiles.ts';

export interface CliConfig {
  readonly hubUrl: string;
  readonly siteUrl: string;
  readonly sitePages: number;
  readonly profile: LoadProfile;
  readonly seed: number;
  readonly scale: number;
  readonly name: string;
  readonly platformName: string | undefined;
  readonly maxRequests: number;
  readonly maxRunMs: number | undefined;
  readonly newSessionTimeoutMs: number;
  readonly registrationSecret: string;
  readonly out: string | undefined;
  readonly svg: string | undefined;
  readonly cluster:
    | {
        readonly namespace: string;
        readonly selector: string;
        readonly deployment: string | undefined;
        readonly kubeconfig: string | undefined;
      }
    | undefined;
}

export type CliCommand =
  | { readonly command: 'help' }
  | { readonly command: 'run'; readonly config: CliConfig };

export const USAGE = `session-load: a seeded stream of W3C sessions against a Selenium Grid hub, with every request's timeline

usage: session-load --hub URL --site URL [options]

  --hub URL                  the hub (loopback, private or cluster-internal only)
  --site URL                 the fixture site as the browser nodes reach it
  --site-pages N             listing pages of the site (default 20)
  --profile NAME             ${Object.keys(LOAD_PROFILES).join(', ')} (default ci-day)
  --seed N                   the arrival profile's seed (default 42)
  --scale X                  multiplies every time of the profile (default 1; 0.2 = five times shorter)
  --name TEXT                the row's name in the table (default the profile's)
  --platform-name NAME       add platformName to the capabilities (default none, as Selenium's clients send)
  --max-requests N           request at most N sessions (default 500)
  --max-run-seconds N        cut the run after N s (default: the plan's end + the new-session timeout + 60 s)
  --new-session-timeout-seconds N   deadline of POST /session (default 330: past the hub's 300 s queue timeout)
  --out FILE                 write every timeline, the hub view and the cluster recording as JSON
  --namespace NS --selector LABELS [--deployment NAME] [--kubeconfig FILE]
                             record the browser pods (and the Deployment's replicas) while the load runs
  --svg FILE                 with --namespace: replicas over time as SVG
  -h, --help                 this text

The hub's registration secret, if it has one, is read from SESSION_LOAD_REGISTRATION_SECRET
(or the file SESSION_LOAD_REGISTRATION_SECRET_FILE names; a replace-me placeholder is refused).
Exit codes: 0 the run ended (the table says how it went); 2 bad configuration; 1 anything else.`;

/** Reads the command line and environment once into a frozen config; ConfigError on anything wrong. */
export function readCliConfig(args: readonly string[], env: NodeJS.ProcessEnv): CliCommand {
  const line = readCommandLine(args, {
    program: 'session-load',
    options: {
      hub: { type: 'string' },
      site: { type: 'string' },
      'site-pages': { type: 'string' },
      profile: { type: 'string' },
      seed: { type: 'string' },
      scale: { type: 'string' },
      name: { type: 'string' },
      'platform-name': { type: 'string' },
      'max-requests': { type: 'string' },
      'max-run-seconds': { type: 'string' },
      'new-session-timeout-seconds': { type: 'string' },
      out: { type: 'string' },
      svg: { type: 'string' },
      namespace: { type: 'string' },
      selector: { type: 'string' },
      deployment: { type: 'string' },
      kubeconfig: { type: 'string' },
    },
  });
  if (line.help) return { command: 'help' };
  const v = line.values;
  if (line.positionals.length > 0)
    throw new ConfigError(`unexpected argument ${line.positionals[0]} (see session-load --help)`);
  if (v.hub === undefined) throw new ConfigError('--hub is required (see session-load --help)');
  if (v.site === undefined) throw new ConfigError('--site is required (see session-load --help)');
  const profileName = readChoice({ name: '--profile', raw: v.profile }, Object.keys(LOAD_PROFILES), 'ci-day');
  const profile = LOAD_PROFILES[profileName] as LoadProfile;
  if ((v.namespace === undefined) !== (v.selector === undefined)) {
    throw new ConfigError('--namespace and --selector go together');
  }
  if (v.svg !== undefined && v.namespace === undefined)
    throw new ConfigError('--svg needs --namespace and --selector');
  if (v.deployment !== undefined && v.namespace === undefined)
    throw new ConfigError('--deployment needs --namespace and --selector');
  const flag = (name: keyof typeof v) => ({ name: `--${name}`, raw: v[name] as string | undefined });
  // 0 (unset) means the default cap runProfile derives from the plan.
  const maxRunSeconds = readNumber(flag('max-run-seconds'), { fallback: 0, min: 1 });
  return {
    command: 'run',
    config: Object.freeze({
      hubUrl: assertInternalUrl(v.hub, '--hub').href,
      siteUrl: assertInternalUrl(v.site, '--site').href,
      sitePages: readInteger(flag('site-pages'), { fallback: 20, min: 1 }),
      profile,
      seed: readInteger(flag('seed'), { fallback: 42, min: 0, max: 2 ** 32 - 1 }),
      scale: readNumber(flag('scale'), { fallback: 1, min: 0.001 }),
      name: v.name ?? profileName,
      platformName: v['platform-name'],
      maxRequests: readInteger(flag('max-requests'), { fallback: 500, min: 1 }),
      maxRunMs: maxRunSeconds === 0 ? undefined : maxRunSeconds * 1000,
      newSessionTimeoutMs: readNumber(flag('new-session-timeout-seconds'), { fallback: 330, min: 1 }) * 1000,
      // The k8s Secrets' shipped replace-me placeholder is refused (program-kit), never shown.
      registrationSecret: readSecret(env, 'SESSION_LOAD_REGISTRATION_SECRET') ?? '',
      out: v.out,
      svg: v.svg,
      cluster:
        v.namespace === undefined || v.selector === undefined
          ? undefined
          : {
              namespace: v.namespace,
              selector: v.selector,
              deployment: v.deployment,
              kubeconfig: v.kubeconfig,
            },
    }),
  };
}
