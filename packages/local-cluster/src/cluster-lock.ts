import { GiveUpWaiting, spawnTracked, type TrackedProcess, waitUntil } from '@scrapegrid/process-group';

/** One local cluster per machine: kube-proxy's iptables chains and the kubepods cgroups are global. */
export const CLUSTER_LOCK_PATH = '/var/lock/scrapegrid-cluster.lock';

export class ClusterLockBusy extends Error {
  readonly code = 'CLUSTER_LOCK_BUSY';
}

/**
 * Takes the exclusive flock that a running local cluster holds. The lock belongs to a tracked
 * `flock … sleep` process: it is released when that process dies, on every path (a test worker
 * that crashes included). Resolves with the holder; stop() it to release.
 */
export async function acquireClusterLock(
  timeoutMs: number,
  path = CLUSTER_LOCK_PATH,
): Promise<TrackedProcess> {
  const seconds = Math.max(0, Math.floor(timeoutMs / 1000));
  const holder = spawnTracked('cluster-lock', 'flock', [
    '--exclusive',
    '--wait',
    String(seconds),
    '--conflict-exit-code',
    '75',
    path,
    'sh',
    '-c',
    'echo locked; exec sleep 2147483647',
  ]);
  try {
    await waitUntil(
      () => {
        if (holder.output().includes('locked')) return true;
        if (!holder.isRunning())
          throw new GiveUpWaiting(`${path} is held by another local cluster (waited ${seconds} s)`);
        return false;
      },
      { what: `the cluster lock ${path}`, timeoutMs: timeoutMs + 5_000, intervalMs: 100 },
    );
  } catch (error) {
    await holder.stop(500);
    throw new ClusterLockBusy(error instanceof Error ? error.message : String(error), { cause: error });
  }
  return holder;
}
