import { signalProcessGroup } from './signal-process-group.ts';

export interface StoppableGroup {
  /** The group leader's pid (the child was spawned with `detached: true`). */
  readonly pid: number | undefined;
  /** Resolves once the leader has exited; never rejects. */
  readonly exited: Promise<unknown>;
  isRunning(): boolean;
}

export interface GroupStopped {
  /** The strongest signal it took: none when it was already gone. */
  signal: 'none' | 'SIGTERM' | 'SIGKILL';
  ms: number;
}

/**
 * The one process-group stop: SIGTERM (to the leader only, as the kubelet signals a container's
 * PID 1, or to the whole group), up to `graceMs` for the leader to exit, then SIGKILL to the
 * group. The group is SIGKILLed at the end in every case, so nothing the leader started (children
 * that ignored SIGTERM, a JVM under a wrapper) outlives it.
 */
export async function stopProcessGroup(
  target: StoppableGroup,
  {
    graceMs,
    termTo = 'group',
    now = () => performance.now(),
  }: { graceMs: number; termTo?: 'leader' | 'group'; now?: () => number },
): Promise<GroupStopped> {
  const started = now();
  let signal: GroupStopped['signal'] = 'none';
  if (target.isRunning()) {
    signal = 'SIGTERM';
    if (termTo === 'leader') _signalLeader(target.pid, 'SIGTERM');
    else signalProcessGroup(target.pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      target.exited.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(resolve, graceMs, false);
      }),
    ]);
    clearTimeout(timer);
    if (!inTime) {
      signal = 'SIGKILL';
      signalProcessGroup(target.pid, 'SIGKILL');
      await target.exited;
    }
  }
  signalProcessGroup(target.pid, 'SIGKILL');
  return { signal, ms: Math.round(now() - started) };
}

// --- internal ---

function _signalLeader(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}
