import { isatty } from 'node:tty';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type LogFormat = 'json' | 'pretty' | 'auto';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty', 'auto'];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface LoggerSpec {
  /** The program's one name, on every line as `name`. */
  readonly name: string;
  readonly level?: string;
  /** json in containers; pretty lines for people; auto: pretty when `fd` is a terminal. */
  readonly format?: LogFormat;
  /** 1 or 2: stderr when stdout carries the program's own output (exposition text, a child's). */
  readonly fd?: 1 | 2;
  /** Paths (pino redact syntax) whose values are replaced by "[redacted]" on every line. */
  readonly redact?: readonly string[];
  /**
   * Paths holding URLs that may carry credentials: their value goes through `redact` (e.g.
   * redactUrl of this package, which keeps the URL and hides the password) instead of being hidden.
   */
  readonly urls?: { readonly paths: readonly string[]; readonly redact: (url: string) => string };
  /** Fields added to every line. */
  readonly mixin?: () => Record<string, unknown>;
  /** More places that get every JSON line as is (e.g. drain-hook's copy to the container's output). */
  readonly alsoTo?: readonly DestinationStream[];
}

/**
 * The one logger factory: pino, ISO timestamps, `name` and `pid` on each line, secrets removed by
 * pino's own `redact` (so no program keeps a hand-written copy of its config "for logging").
 * Every write is synchronous: programs end with process.exit and must not lose their last line.
 * Pretty output is pino-pretty used as a stream in this thread, not as a transport: transports
 * start a worker thread that loads files from node_modules, which a single executable has not.
 * It is imported only when asked for, so JSON-only containers never load it. A pretty line is one
 * line, an error in it too (`err: "GridPollError GRID_POLL_FAILED: …"`); its stack is printed,
 * on lines of its own, only when the level is debug or trace.
 */
export async function createLogger(spec: LoggerSpec): Promise<Logger> {
  const fd = spec.fd ?? 1;
  const pretty = spec.format === 'pretty' || (spec.format === 'auto' && isatty(fd));
  const level = spec.level ?? 'info';
  const stacks = level === 'debug' || level === 'trace';
  const primary = pretty ? await _prettyStream(fd, stacks) : pino.destination({ fd, sync: true });
  const options: LoggerOptions = {
    level,
    // An Error under `error` is serialized as under `err` (type, message, stack, code), not as {}.
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    base: { name: spec.name, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...(spec.redact ?? []), ...(spec.urls?.paths ?? [])], censor: _censor(spec.urls) },
    ...(spec.mixin ? { mixin: spec.mixin } : {}),
  };
  const also = spec.alsoTo ?? [];
  if (also.length === 0) return pino(options, primary);
  return pino(options, pino.multistream([primary, ...also].map((stream) => ({ stream, level: 'trace' }))));
}

// --- internal ---

// An unset secret stays visibly unset: "is it configured?" is what a reader of the log asks.
function _censor(urls: LoggerSpec['urls']): (value: unknown, path: string[]) => unknown {
  const urlPaths = new Set(urls?.paths ?? []);
  return (value, path) => {
    if (value === undefined || value === null || value === '') return value;
    if (urls && urlPaths.has(path.join('.')) && typeof value === 'string') return urls.redact(value);
    return '[redacted]';
  };
}

async function _prettyStream(fd: 1 | 2, stacks: boolean): Promise<DestinationStream> {
  const { prettyFactory } = await import('pino-pretty');
  const oneLine = stacks
    ? {}
    : {
        // Errors join the line's other fields, each as one string; no stack.
        errorLikeObjectKeys: [],
        customPrettifiers: { err: _errorInOneLine, error: _errorInOneLine },
      };
  // The factory, not the stream: pino tells a stream its errorKey, which the stream then prints
  // as a multi-line error whatever errorLikeObjectKeys says.
  const pretty = prettyFactory({
    ...oneLine,
    colorize: isatty(fd),
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    // One line per record, its fields after the message: lines interleave with other output.
    singleLine: true,
  });
  const destination = pino.destination({ fd, sync: true });
  return { write: (line: string) => destination.write(pretty(line)) };
}

/** A serialized error (pino's err serializer) as `Type CODE: message`; anything else as text. */
function _errorInOneLine(value: unknown): string {
  if (typeof value !== 'object' || value === null || !('message' in value))
    return typeof value === 'string' ? value : JSON.stringify(value);
  const { type, code, message } = value as { type?: unknown; code?: unknown; message?: unknown };
  const name = typeof type === 'string' && type !== '' ? type : 'Error';
  return `${name}${typeof code === 'string' || typeof code === 'number' ? ` ${code}` : ''}: ${String(message)}`;
}
