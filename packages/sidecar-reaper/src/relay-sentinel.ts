import { existsSync } from 'node:fs';
import { makeSentinel, writeSentinel } from '@scrapegrid/sentinel';
import type { Logger } from 'pino';
import type { WorkerTerminated } from './watch-worker-container.ts';

/**
 * A worker that ended without its sentinel (OOM-killed, SIGKILLed) leaves the reapers without a
 * token (chrome's: the container that renders pages holds none) nothing to see. The reaper that
 * learned it from the pod status writes the sentinel on the worker's behalf, so they stop too.
 * Never over a sentinel that is there: the worker's own says more. Best effort: a sentinel that
 * cannot be written is logged, and this reaper stops its own sidecar all the same.
 */
export async function relaySentinel(path: string, terminated: WorkerTerminated, log: Logger): Promise<void> {
  if (existsSync(path)) return;
  const exitCode = terminated.exitCode === 0 ? 1 : Math.min(Math.max(terminated.exitCode, 1), 255);
  const reason = `the worker container terminated (${terminated.reason}, exit ${terminated.exitCode}) without writing its sentinel; written by sidecar-reaper from the pod status`;
  try {
    await writeSentinel(path, makeSentinel(exitCode, reason));
    log.info({ sentinelPath: path, exitCode }, "wrote the sentinel on the worker's behalf");
  } catch (error) {
    log.warn(
      { err: error, sentinelPath: path },
      "could not write the sentinel on the worker's behalf; a reaper without a pod watch will not see the worker's end",
    );
  }
}
