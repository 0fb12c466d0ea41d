import { setTimeout as sleep } from 'node:timers/promises';
import { stopProcessGroup } from '@scrapegrid/program-kit';
import { createGridClient, drainNodeAndWait, GridError, waitForNoNodes } from '@scrapegrid/selenium-grid';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { SupervisedChild } from './start-child.ts';

type StopConfig = Pick<
  Config,
  | 'drainNodeUrl'
  | 'drainGridUrl'
  | 'drainTimeoutMs'
  | 'waitNodesGoneHubUrl'
  | 'waitNodesGoneTimeoutMs'
  | 'registrationSecret'
  | 'graceMs'
>;

/**
 * Stops the sidecar because the worker is done, in the order that cuts nothing mid-write:
 * a chrome node is drained exactly as drain-hook drains one (through the hub and locally, then
 * waits for its sessions to end and for it to leave, @scrapegrid/selenium-grid's drainNodeAndWait),
 * within the drain timeout, and given the rest of it to exit on its own; a hub waits (bounded) for
 * its nodes to leave; then SIGTERM, the grace period, SIGKILL. Each step logs how long it took.
 */
export async function stopSidecar(child: SupervisedChild, config: StopConfig, log: Logger): Promise<void> {
  const started = performance.now();
  if (config.drainNodeUrl) {
    const deadlineAt = started + config.drainTimeoutMs;
    const drained = await _drain(config, deadlineAt, log);
    if (drained) {
      const exitedInTime = await _exitsWithin(child, Math.max(0, deadlineAt - performance.now()));
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
    const hub = createGridClient({
      url: config.waitNodesGoneHubUrl,
      registrationSecret: config.registrationSecret,
    });
    try {
      const gone = await waitForNoNodes(hub, { timeoutMs: config.waitNodesGoneTimeoutMs });
      log.info({ hubUrl: hub.url, ...gone }, 'waited for the nodes to leave the hub');
    } finally {
      await hub.close();
    }
  }
  // SIGTERM to the child only, as the kubelet signals a container's PID 1; SIGKILL to its group.
  const stopped = await stopProcessGroup(child, { graceMs: config.graceMs, termTo: 'leader' });
  log.info({ ...stopped, totalMs: Math.round(performance.now() - started) }, 'sidecar stopped');
}

// --- internal ---

// drain-hook's default poll: the drain ends within a poll of the node leaving.
const DRAIN_POLL_MS = 200;

/** True when the node drained and has (nearly) left, so its process may be let exit by itself. */
async function _drain(config: StopConfig, deadlineAt: number, log: Logger): Promise<boolean> {
  const connection = { registrationSecret: config.registrationSecret };
  const node = createGridClient({ ...connection, url: config.drainNodeUrl as string });
  const hub = config.drainGridUrl ? createGridClient({ ...connection, url: config.drainGridUrl }) : undefined;
  try {
    const outcome = await drainNodeAndWait({ node, hub, deadlineAt, pollMs: DRAIN_POLL_MS, log });
    log.info({ nodeUrl: node.url, ...outcome }, 'node drained');
    // A node released idle (stuck DRAINING, or idle at the deadline) will not exit by itself.
    return outcome.how === 'exited' || outcome.how === 'drain-complete';
  } catch (error) {
    // The drain timeout with sessions left, or a drain refused: the stop goes on (the worker is
    // done, so nothing is waiting on those sessions), and the log says why.
    if (!(error instanceof GridError)) throw error;
    log.warn({ nodeUrl: node.url, code: error.code, sessionsLeft: error.sessionsLeft }, error.message);
    return false;
  } finally {
    await Promise.all([node.close(), hub?.close()]);
  }
}

async function _exitsWithin(child: SupervisedChild, ms: number): Promise<boolean> {
  const timer = new AbortController();
  const exited = await Promise.race([
    child.exited.then(() => true),
    sleep(ms, false, { signal: timer.signal }).catch(() => false),
  ]);
  timer.abort();
  return exited;
}
