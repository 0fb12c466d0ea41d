import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { drainNode } from './drain-node.ts';
import type { SupervisedChild } from './start-child.ts';
import { stopChild } from './stop-child.ts';
import { waitNodesGone } from './wait-nodes-gone.ts';

type StopConfig = Pick<
  Config,
  | 'drainNodeUrl'
  | 'drainTimeoutMs'
  | 'waitNodesGoneHubUrl'
  | 'waitNodesGoneTimeoutMs'
  | 'registrationSecret'
  | 'graceMs'
>;

/**
 * Stops the sidecar because the worker is done, in the order that cuts nothing mid-write:
 * a chrome node is drained first and given time to exit on its own; a hub waits (bounded) for
 * its nodes to leave; then SIGTERM, the grace period, SIGKILL. Each step logs how long it took.
 */
export async function stopSidecar(child: SupervisedChild, config: StopConfig, log: Logger): Promise<void> {
  const started = performance.now();
  if (config.drainNodeUrl) {
    const drain = await drainNode(config.drainNodeUrl, config.registrationSecret);
    log.info(
      { nodeUrl: config.drainNodeUrl, ...drain },
      drain.draining ? 'node draining' : 'node did not drain',
    );
    if (drain.draining) {
      const exitedInTime = await _exitsWithin(child, config.drainTimeoutMs);
      const ms = Math.round(performance.now() - started);
      if (exitedInTime) {
        child.signalGroup('SIGKILL'); // leftovers of the tree, e.g. an orphaned Chromium
        log.info({ ms }, 'drained node exited by itself');
        return;
      }
      log.warn(
        { ms, drainTimeoutMs: config.drainTimeoutMs },
        'drained node still running at the drain timeout',
      );
    }
  }
  if (config.waitNodesGoneHubUrl) {
    const gone = await waitNodesGone(config.waitNodesGoneHubUrl, config.waitNodesGoneTimeoutMs);
    log.info({ hubUrl: config.waitNodesGoneHubUrl, ...gone }, 'waited for the nodes to leave the hub');
  }
  const stopped = await stopChild(child, config.graceMs);
  log.info({ ...stopped, totalMs: Math.round(performance.now() - started) }, 'sidecar stopped');
}

// --- internal ---

async function _exitsWithin(child: SupervisedChild, ms: number): Promise<boolean> {
  const timer = new AbortController();
  const exited = await Promise.race([
    child.exited.then(() => true),
    sleep(ms, false, { signal: timer.signal }).catch(() => false),
  ]);
  timer.abort();
  return exited;
}
