import { setTimeout as sleep } from 'node:timers/promises';
import type { SupervisedChild } from './start-child.ts';

export interface ChildStopped {
  /** The strongest signal it took: none when it was already gone. */
  signal: 'none' | 'SIGTERM' | 'SIGKILL';
  ms: number;
}

/**
 * SIGTERM to the child, up to `graceMs` for it to exit, then SIGKILL to its whole process group.
 * Whatever is left in the group afterwards (children that ignored SIGTERM) is killed too, so
 * nothing the sidecar started outlives it.
 */
export async function stopChild(child: SupervisedChild, graceMs: number): Promise<ChildStopped> {
  const started = performance.now();
  let signal: ChildStopped['signal'] = 'none';
  if (child.isRunning()) {
    signal = 'SIGTERM';
    child.signal('SIGTERM');
    const timeout = new AbortController();
    const inTime = await Promise.race([
      child.exited.then(() => true),
      sleep(graceMs, false, { signal: timeout.signal }).catch(() => false),
    ]);
    timeout.abort();
    if (!inTime) {
      signal = 'SIGKILL';
      child.signalGroup('SIGKILL');
      await child.exited;
    }
  }
  child.signalGroup('SIGKILL');
  return { signal, ms: Math.round(performance.now() - started) };
}
