import { DEFAULT_SENTINEL_PATH } from '@scrapegrid/sentinel';
import { isHttpUrl } from '../scrape/is-http-url.ts';

export type WorkerCommand = 'run' | 'validate';

/** Everything the worker reads from its command line and environment, parsed once. */
export interface WorkerConfig {
  command: WorkerCommand;
  specPath: string;
  metricsPort: number;
  sentinelPath: string;
  /** The Embulk command line before `run <config>`; undefined: the transfer is skipped. */
  embulkCommand?: readonly string[];
  embulkTimeoutMs: number;
  /** Overrides the spec's browser.gridUrl. */
  gridUrl?: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

export const USAGE = 'usage: worker run <spec.yaml> | worker validate <spec.yaml> (or WORKER_SPEC_PATH)';

/**
 * Parses `worker run|validate <spec.yaml>` and the WORKER_* variables into a frozen object; every
 * problem is reported at once in one ConfigError (the program exits 2 on it).
 */
export function parseWorkerConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Readonly<WorkerConfig> {
  const problems: string[] = [];
  const [commandArg, specArg, ...extra] = argv;
  const command = commandArg ?? 'run';
  if (command !== 'run' && command !== 'validate') problems.push(`unknown command "${command}"; ${USAGE}`);
  if (extra.length > 0) problems.push(`unexpected arguments: ${extra.join(' ')}; ${USAGE}`);
  const specPath = specArg ?? _nonEmpty(env.WORKER_SPEC_PATH);
  if (specPath === undefined) problems.push(`no job spec given; ${USAGE}`);

  const metricsPort = _integer(env.WORKER_METRICS_PORT, 'WORKER_METRICS_PORT', 9010, 0, 65535, problems);
  const timeoutSeconds = _integer(
    env.WORKER_EMBULK_TIMEOUT_SECONDS,
    'WORKER_EMBULK_TIMEOUT_SECONDS',
    3600,
    1,
    7 * 24 * 3600,
    problems,
  );

  const jar = _nonEmpty(env.WORKER_EMBULK_JAR);
  const commandLine = _nonEmpty(env.WORKER_EMBULK_COMMAND);
  if (jar !== undefined && commandLine !== undefined)
    problems.push('set WORKER_EMBULK_JAR or WORKER_EMBULK_COMMAND, not both');
  const embulkCommand =
    commandLine !== undefined ? _splitCommandLine(commandLine) : jar && ['java', '-jar', jar];

  const gridUrl = _nonEmpty(env.WORKER_GRID_URL);
  if (gridUrl !== undefined && !isHttpUrl(gridUrl))
    problems.push(`WORKER_GRID_URL must be an http or https URL, got "${gridUrl}"`);

  const logLevel = _nonEmpty(env.WORKER_LOG_LEVEL) ?? 'info';
  if (!LOG_LEVELS.includes(logLevel as WorkerConfig['logLevel']))
    problems.push(`WORKER_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return Object.freeze({
    command: command as WorkerCommand,
    specPath: specPath!,
    metricsPort,
    sentinelPath: _nonEmpty(env.WORKER_SENTINEL_PATH) ?? DEFAULT_SENTINEL_PATH,
    ...(embulkCommand ? { embulkCommand: Object.freeze(embulkCommand) } : {}),
    embulkTimeoutMs: timeoutSeconds * 1000,
    ...(gridUrl ? { gridUrl } : {}),
    logLevel: logLevel as WorkerConfig['logLevel'],
  });
}

// --- internal ---

const LOG_LEVELS: readonly WorkerConfig['logLevel'][] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

function _nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function _integer(
  raw: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const value = _nonEmpty(raw);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    problems.push(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
    return fallback;
  }
  return parsed;
}

/** Splits a command line on spaces, honouring single and double quotes (no shell is involved). */
function _splitCommandLine(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g))
    words.push(match[1] ?? match[2] ?? match[3]!);
  return words;
}
