import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { signalProcessGroup } from '@scrapegrid/program-kit';
import type { Logger } from 'pino';

export interface RunEmbulkOptions {
  /** The program, e.g. ['java', '-jar', '/opt/embulk/embulk.jar']; `run <config>` is appended. */
  command: string[];
  configPath: string;
  timeoutMs: number;
  logger: Logger;
  /** The child's environment (default: the worker's). LANG defaults to C.UTF-8 for non-ASCII text. */
  env?: NodeJS.ProcessEnv;
  /** Aborting (SIGTERM to the worker) stops Embulk the same way a timeout does. */
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL when Embulk is stopped (default 10 s). */
  killGraceMs?: number;
  /** Values replaced by [redacted] in every line before it is logged or kept (embulkSecrets). */
  redact?: readonly string[];
}

export interface EmbulkResult {
  /**
   * Embulk's exit code: 0 success, 1 run failed, 255 bad command line; null when it was stopped
   * (timeout, abort) or never started. The JVM answers SIGTERM with exit code 143: a stopped run is
   * reported as stopped, not as a failure of Embulk's own.
   */
  exitCode: number | null;
  durationMs: number;
  timedOut: boolean;
  /** True when the run was stopped through the abort signal. */
  aborted?: boolean;
  /** Embulk's last `Error: …` line, else its last ERROR log message, else why it could not start. */
  errorLine?: string;
}

/**
 * Runs `<command> run <configPath>` and waits for it, with a deadline. Embulk's log lines
 * (`yyyy-MM-dd HH:mm:ss.SSS Z [LEVEL] (thread): message`) go into the worker's log at their own
 * level; other lines (stack traces) at the level of the line they follow, `Error:` lines at error,
 * anything else at warn. Never throws:
 * failures are in the result, for the caller to map to an exit code.
 */
export function runEmbulk(options: RunEmbulkOptions): Promise<EmbulkResult> {
  const started = performance.now();
  const [program, ...args] = options.command;
  const log = options.logger.child({ component: 'embulk' });
  if (program === undefined) {
    return Promise.resolve({
      exitCode: null,
      durationMs: 0,
      timedOut: false,
      errorLine: 'no Embulk command given',
    });
  }
  return new Promise((resolve) => {
    let errorLine: string | undefined;
    let lastErrorLog: string | undefined;
    let timedOut = false;
    let aborted = false;
    let startError: string | undefined;
    const child = spawn(program, [...args, 'run', options.configPath], {
      env: { ...(options.env ?? process.env), LANG: options.env?.LANG ?? 'C.UTF-8' },
      // Its own process group: a wrapper script's children (the JVM) are stopped with it.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    // A line that is not in Embulk's format continues the last one on its stream (a stack trace
    // under an ERROR line) and is logged at its level. On its own it is a warning, except a Java
    // exception or stack trace line: Embulk prints a failed run's trace on stderr, before its
    // `Error:` line and after no log line of that stream.
    const lastLevel: Record<'stdout' | 'stderr', EmbulkLogLine['level'] | undefined> = {
      stdout: undefined,
      stderr: undefined,
    };
    const onLine = (stream: 'stdout' | 'stderr') => (raw: string) => {
      if (raw.trim() === '') return;
      const line = redact(raw, options.redact);
      const parsed = parseEmbulkLogLine(line);
      if (parsed !== undefined) {
        log[parsed.level]({ thread: parsed.thread, embulkLevel: parsed.embulkLevel }, parsed.message);
        if (parsed.level === 'error') lastErrorLog = parsed.message;
        lastLevel[stream] = parsed.level;
      } else if (/^Error: /.test(line)) {
        errorLine = line;
        log.error({ stream }, line);
      } else {
        log[lastLevel[stream] ?? (JAVA_TRACE_LINE.test(line) ? 'error' : 'warn')]({ stream }, line);
      }
    };
    const lineReaders = [follow(child.stdout, onLine('stdout')), follow(child.stderr, onLine('stderr'))];

    const stop = () => {
      signalProcessGroup(child.pid, 'SIGTERM');
      killTimer ??= setTimeout(() => signalProcessGroup(child.pid, 'SIGKILL'), options.killGraceMs ?? 10_000);
    };
    let killTimer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      timedOut = true;
      log.error({ timeoutMs: options.timeoutMs }, 'embulk timed out; stopping it');
      stop();
    }, options.timeoutMs);
    const onAbort = () => {
      aborted = true;
      log.warn('stopping embulk: the worker is shutting down');
      stop();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    child.once('error', (error) => {
      startError = `could not start ${program}: ${error.message}`;
    });
    child.once('close', async (code) => {
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      await Promise.all(lineReaders);
      if (killTimer !== undefined) {
        clearTimeout(killTimer);
        // The leader is gone; make sure nothing it started lingers in its group.
        signalProcessGroup(child.pid, 'SIGKILL');
      }
      const why = errorLine ?? lastErrorLog ?? startError;
      resolve({
        exitCode: startError === undefined && !timedOut && !aborted ? code : null,
        durationMs: Math.round(performance.now() - started),
        timedOut,
        ...(aborted ? { aborted } : {}),
        ...(why === undefined ? {} : { errorLine: why }),
      });
    });
  });
}

export interface EmbulkLogLine {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  embulkLevel: string;
  thread: string;
  message: string;
}

/** One line of Embulk's log format, or undefined when the line is not one (a stack trace line…). */
export function parseEmbulkLogLine(line: string): EmbulkLogLine | undefined {
  const match = EMBULK_LOG_LINE.exec(line);
  if (match === null) return undefined;
  const embulkLevel = match[1]!;
  return { level: LEVELS[embulkLevel] ?? 'info', embulkLevel, thread: match[2]!, message: match[3]! };
}

// --- internal ---

const EMBULK_LOG_LINE =
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} [+-]\d{4} \[([A-Z]+)\] \(([^)]*)\): (.*)$/;

/** `\tat …`, `\t... 9 more`, `Caused by: …`, `org.x.SomeException: …` */
const JAVA_TRACE_LINE = /^(\tat |\t\.\.\. \d+ more|Caused by: |[\w.$]+(Exception|Error)(: |$))/;

const LEVELS: Record<string, EmbulkLogLine['level']> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

function redact(line: string, secrets: readonly string[] | undefined): string {
  if (secrets === undefined) return line;
  let result = line;
  for (const secret of secrets) if (secret !== '') result = result.split(secret).join('[redacted]');
  return result;
}

function follow(stream: Readable | null, onLine: (line: string) => void): Promise<void> {
  if (stream === null) return Promise.resolve();
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', onLine);
  return new Promise((resolve) => lines.once('close', resolve));
}
