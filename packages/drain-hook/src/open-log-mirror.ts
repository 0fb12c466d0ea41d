import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';

/**
 * A copy of every log line for `path` (default /proc/1/fd/1), or undefined when there is none to
 * make. A preStop hook's output is not in `kubectl logs`; the container's main process output is.
 */
export function openLogMirror(path: string | undefined): { write(line: string): void } | undefined {
  return path ? _openMirror(path) : undefined;
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
