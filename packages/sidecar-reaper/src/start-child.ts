import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { signalProcessGroup } from '@scrapegrid/program-kit';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The command could not be started at all (ENOENT, EACCES…). */
  startError?: Error;
}

export interface SupervisedChild {
  readonly pid: number | undefined;
  /** Resolves once the child has exited (or failed to start). Never rejects. */
  readonly exited: Promise<ChildExit>;
  isRunning(): boolean;
  /** To the child only, as the kubelet signals a container's PID 1. */
  signal(signal: NodeJS.Signals): void;
  /** To the child's whole process group: everything it started and did not move elsewhere. */
  signalGroup(signal: NodeJS.Signals): void;
}

/**
 * Starts the supervised command with inherited stdio in its own process group, so the reaper can
 * end the whole tree (supervisord, the JVM, Chromium) with one kill(-pgid) when it must.
 */
export function startChild(command: string, args: readonly string[]): SupervisedChild {
  const child = spawn(command, args, { stdio: 'inherit', detached: true });
  let running = child.pid !== undefined;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('error', (error) => {
      running = false;
      resolve({ code: null, signal: null, startError: error });
    });
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  return {
    pid: child.pid,
    exited,
    isRunning: () => running,
    signal: (signal) => {
      if (!running || child.pid === undefined) return;
      try {
        process.kill(child.pid, signal);
      } catch {
        // ESRCH: already gone; nothing to do.
      }
    },
    signalGroup: (signal) => signalProcessGroup(child.pid, signal),
  };
}

/** The shell convention: the child's code, 128 + signal number when it was killed, 127 when it never ran. */
export function exitCodeOf(exit: ChildExit): number {
  if (exit.startError) return (exit.startError as NodeJS.ErrnoException).code === 'EACCES' ? 126 : 127;
  if (exit.code !== null) return exit.code;
  return 128 + (exit.signal ? (constants.signals[exit.signal] ?? 0) : 0);
}
