import { type ChildProcess, spawn } from 'node:child_process';
import { signalProcessGroup } from './signal-process-group.ts';
import { stopProcessGroup } from './stop-process-group.ts';

/**
 * Every process a test starts goes through spawnTracked: it runs in its own process group (so
 * the JVM's chromedriver and Chromium children die with it) and carries an env marker that the
 * suite's teardown uses to find anything that escaped (see leftover-processes.ts).
 */
export const SPAWN_MARKER_ENV = 'SCRAPEGRID_SPAWNED_BY';
export const TEST_RUN_ENV = 'SCRAPEGRID_TEST_RUN';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnTrackedOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bytes of combined stdout/stderr kept for diagnostics (default 256 KiB). */
  keepOutputBytes?: number;
  /** Called with each chunk of stdout/stderr as it arrives. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Give the child an open stdin pipe (default: ignored). */
  stdin?: boolean;
  /** Run the child as this user and group (root only), e.g. PostgreSQL, which refuses to run as root. */
  uid?: number;
  gid?: number;
}

export interface TrackedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the process (the group leader) exits. Never rejects. */
  readonly exited: Promise<ProcessExit>;
  isRunning(): boolean;
  /** Everything the process printed so far (the last keepOutputBytes of it). */
  output(): string;
  /** Sends a signal to the whole process group. */
  signalGroup(signal: NodeJS.Signals): void;
  /** SIGTERM to the group, SIGKILL after graceMs; always ends by killing what is left of the group. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

export function currentRunId(): string {
  return process.env[TEST_RUN_ENV] ?? `pid-${process.pid}`;
}

export function spawnTracked(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnTrackedOptions = {},
): TrackedProcess {
  installExitHooks();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, [SPAWN_MARKER_ENV]: currentRunId() },
    detached: true,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  if (child.pid === undefined) {
    // No pid means the spawn failed (ENOENT, EACCES); its 'error' event follows and must not
    // crash the test process. Say so now, synchronously, with the command named.
    child.once('error', () => {});
    throw new Error(`${name}: could not start ${command} (not found or not executable)`);
  }
  const pid = child.pid;
  const keep = options.keepOutputBytes ?? 256 * 1024;
  let buffered = '';
  const collect = (stream: 'stdout' | 'stderr') => (data: Buffer) => {
    const text = data.toString('utf8');
    buffered = (buffered + text).slice(-keep);
    options.onOutput?.(text, stream);
  };
  child.stdout?.on('data', collect('stdout'));
  child.stderr?.on('data', collect('stderr'));

  let running = true;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (error) => {
      buffered += `\n[spawn error] ${error.message}`;
      running = false;
      live.delete(tracked);
      resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });

  const signalGroup = (signal: NodeJS.Signals) => signalProcessGroup(pid, signal);

  const tracked: TrackedProcess = {
    name,
    pid,
    child,
    exited,
    isRunning: () => running,
    output: () => buffered,
    signalGroup,
    async stop(graceMs = 5_000) {
      // SIGTERM to the group, SIGKILL after graceMs, and always a last SIGKILL: the leader may be
      // gone while its children (chromedriver, Chromium) are not.
      await stopProcessGroup({ pid, exited, isRunning: () => running }, { graceMs, termTo: 'group' });
      live.delete(tracked);
      return exited;
    },
  };
  live.add(tracked);
  return tracked;
}

/** Stops every process started through spawnTracked in this process that is still tracked. */
export async function stopAllTracked(graceMs = 2_000): Promise<void> {
  await Promise.all([...live].map((p) => p.stop(graceMs)));
}

// --- internal ---

const live = new Set<TrackedProcess>();
let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Synchronous last resort: a test worker that exits or is interrupted takes its groups along.
  const killAll = () => {
    for (const p of live) p.signalGroup('SIGKILL');
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}
