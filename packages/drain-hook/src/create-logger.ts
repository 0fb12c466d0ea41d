import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { type Logger, pino } from 'pino';

/**
 * JSON lines (pino) to stdout and, when possible, to `mirrorPath` too. A preStop hook's output is
 * not in `kubectl logs`; the container's main process output (/proc/1/fd/1) is. Every write is
 * synchronous: the hook ends with process.exit and must not lose its last line.
 * `elapsedMs` on every line counts from the process start.
 */
export function createLogger(mirrorPath: string | undefined): Logger {
  const streams: pino.StreamEntry[] = [{ stream: pino.destination({ dest: 1, sync: true }) }];
  const mirror = mirrorPath ? _openMirror(mirrorPath) : undefined;
  if (mirror) streams.push({ stream: mirror });
  return pino(
    {
      base: { name: 'drain-hook', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => ({ elapsedMs: Math.round(performance.now()) }),
    },
    pino.multistream(streams),
  );
}

// --- internal ---

function _openMirror(path: string): { write(line: string): void } | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch {
    // Not there (not in a container, another user's process 1): stdout is enough.
    return undefined;
  }
  if (_sameFile(fd, 1)) {
    // Our stdout already is the main output (e.g. run as the container's command): no duplicates.
    closeSync(fd);
    return undefined;
  }
  let broken = false;
  return {
    write(line: string) {
      if (broken) return;
      try {
        writeSync(fd, line);
      } catch {
        // A closed pipe or a full non-blocking one: drop the mirror, never the hook.
        broken = true;
      }
    },
  };
}

function _sameFile(a: number, b: number): boolean {
  try {
    const [sa, sb] = [fstatSync(a), fstatSync(b)];
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}
