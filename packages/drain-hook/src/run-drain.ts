import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { DeadlineReachedError } from './deadline-reached-error.ts';
import type { DrainAnswer } from './drain-answer.ts';
import { DrainRefusedError } from './drain-refused-error.ts';
import type { GridHttp } from './grid-http.ts';
import { HttpError } from './http-error.ts';
import { hubNodeAvailability } from './hub-node-availability.ts';
import { MUST_CALL_MS } from './must-call-ms.ts';
import type { DrainHookConfig } from './parse-config.ts';
import { postHubDrain } from './post-hub-drain.ts';
import { postNodeDrain } from './post-node-drain.ts';
import { type NodeStatus, readNodeStatus } from './read-node-status.ts';

export interface DrainOutcome {
  readonly result: 'drained' | 'already-gone';
  readonly nodeId: string | undefined;
}

export interface DrainDeps {
  readonly config: Pick<DrainHookConfig, 'nodeUrl' | 'gridUrl' | 'deadlineMs' | 'pollMs'>;
  readonly http: GridHttp;
  readonly log: Logger;
  /** Milliseconds since the hook started; the deadline is measured on this clock. */
  readonly now: () => number;
}

/**
 * Drains the node and waits until it has no session and has left the Grid, within the deadline.
 * Resolves when the pod may go; throws DeadlineReachedError or DrainRefusedError otherwise.
 */
export async function runDrain({ config, http, log, now }: DrainDeps): Promise<DrainOutcome> {
  const remaining = () => config.deadlineMs - now();

  // 1. Find the node. Nothing listening means it is already gone: nothing to protect.
  const first = await _findNode(http, config, remaining);
  if (first.status === undefined) {
    log.info(
      { step: 'already-gone', sessions: 0, reason: first.reason },
      'node does not answer: already drained',
    );
    return { result: 'already-gone', nodeId: undefined };
  }
  const { nodeId } = first.status;
  const nodeLog = log.child({ nodeId });
  nodeLog.info(
    { step: 'found', sessions: first.status.sessions, availability: first.status.availability },
    'node found',
  );

  // 2. Drain through the hub and locally at once: the hub's drain marks the node DRAINING in the
  // distributor's model, so it stops placing sessions there even before the node hears of it.
  const [hub, node] = await Promise.all([
    config.gridUrl
      ? postHubDrain(http, config.gridUrl, nodeId)
      : Promise.resolve<DrainAnswer>({ outcome: 'skipped', detail: 'no hub configured' }),
    postNodeDrain(http, config.nodeUrl),
  ]);
  const accepted = hub.outcome === 'accepted' || node.outcome === 'accepted';
  // Anything short of both accepting is worth a warning: a wrong hub password or a hub that is down
  // leaves the distributor placing sessions until the node's own drain reaches it.
  const clean = node.outcome === 'accepted' && (hub.outcome === 'accepted' || hub.outcome === 'skipped');
  nodeLog[clean ? 'info' : 'warn'](
    { step: 'drain-requested', sessions: first.status.sessions, node, hub },
    accepted ? 'drain requested' : 'drain not accepted',
  );
  if (!accepted && node.outcome === 'refused' && first.status.availability !== 'DRAINING') {
    throw new DrainRefusedError(`the node refused to drain (${node.detail}); hub: ${hub.detail}`);
  }

  // 3. Wait for the sessions to end and the node to leave.
  const askHub = config.gridUrl !== undefined && hub.outcome !== 'unreachable';
  const left = await _waitForNodeToLeave(http, config, askHub, nodeId, nodeLog, now, first.status);

  // 4. The node process is gone: confirm the hub has let go of it too, so nothing is routed there.
  if (config.gridUrl && left.how === 'exited' && hub.outcome !== 'unreachable') {
    await _confirmHubDropped(http, config.gridUrl, nodeId, config.pollMs, remaining, now, nodeLog);
  }
  nodeLog.info({ step: 'done', sessions: 0, how: left.how }, 'drained: the pod may stop');
  return { result: 'drained', nodeId };
}

// --- internal ---

// A draining node with no session exits about 1 s later. One still answering long after its last
// session is stuck (docker-selenium#2654); it has nothing left to lose, so SIGTERM is safe.
const STUCK_IDLE_MS = 10_000;
const PROGRESS_LOG_MS = 10_000;
const HUB_CONFIRM_MS = 5_000;

async function _findNode(
  http: GridHttp,
  config: DrainDeps['config'],
  remaining: () => number,
): Promise<{ status?: NodeStatus; reason?: string }> {
  // A refused connection is final; a timeout may be a busy JVM, so look twice more before
  // calling the node gone.
  let reason = '';
  // The first look happens even past the deadline (a slow start): the drain still protects the
  // sessions from new ones, and the wait loop then reports the deadline with the session count.
  for (let attempt = 1; attempt <= 3 && (attempt === 1 || remaining() > 0); attempt++) {
    try {
      return { status: await readNodeStatus(http, config.nodeUrl, MUST_CALL_MS) };
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      reason = error.message;
      if (error.code === 'DRAIN_HOOK_REFUSED') break;
      await sleep(Math.max(0, Math.min(config.pollMs, remaining())));
    }
  }
  return { reason };
}

/**
 * The node has left when its process is gone, or when it is DRAINING with no session and the hub
 * no longer lists it: then its drain is complete (the hub drops a node on NodeDrainComplete) and
 * the JVM only has its own ~1 s exit left, which the kubelet's SIGTERM may cut short harmlessly.
 */
async function _waitForNodeToLeave(
  http: GridHttp,
  config: DrainDeps['config'],
  askHub: boolean,
  nodeId: string,
  log: Logger,
  now: () => number,
  initial: NodeStatus,
): Promise<{ how: 'exited' | 'drain-complete' | 'idle-but-stuck' | 'idle-at-deadline' }> {
  const remaining = () => config.deadlineMs - now();
  let sessions = initial.sessions;
  let idleSince = sessions === 0 ? now() : undefined;
  let lastLogAt = now();
  let redrainAt = 0;
  for (;;) {
    if (remaining() <= 0 && sessions === 0) {
      log.warn(
        { step: 'deadline', sessions },
        'deadline reached; the node has no session: stopping it is safe',
      );
      return { how: 'idle-at-deadline' };
    }
    if (remaining() <= 0) {
      log.error(
        { step: 'deadline', sessions, deadlineMs: config.deadlineMs },
        `deadline reached with ${sessions} session(s) still running`,
      );
      throw new DeadlineReachedError(`deadline reached with ${sessions} session(s) still running`, sessions);
    }
    await sleep(Math.max(0, Math.min(config.pollMs, remaining())));
    let status: NodeStatus;
    try {
      status = await readNodeStatus(http, config.nodeUrl);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.code === 'DRAIN_HOOK_REFUSED') {
        log.info({ step: 'node-exited', sessions: 0 }, 'node has exited');
        return { how: 'exited' };
      }
      // A slow answer or a connection cut as the JVM stops: look again, the deadline bounds this.
      log.debug({ step: 'poll-failed', sessions, reason: error.message }, 'node status not read');
      continue;
    }
    if (status.sessions !== sessions || now() - lastLogAt >= PROGRESS_LOG_MS) {
      sessions = status.sessions;
      lastLogAt = now();
      log.info(
        { step: 'waiting', sessions, availability: status.availability },
        'waiting for sessions to end',
      );
    }
    if (status.availability === 'UP' && now() >= redrainAt) {
      // The drain did not hold (a restarted node answers on the same port): ask again.
      redrainAt = now() + 5_000;
      const again = await postNodeDrain(http, config.nodeUrl);
      log.warn({ step: 'drain-repeated', sessions, node: again }, 'node was UP again: drain repeated');
    }
    if (status.sessions > 0) {
      idleSince = undefined;
    } else {
      idleSince ??= now();
      if (askHub && status.availability === 'DRAINING' && config.gridUrl) {
        try {
          if ((await hubNodeAvailability(http, config.gridUrl, nodeId)) === undefined) {
            log.info(
              { step: 'hub-dropped', sessions: 0 },
              'drain complete: the hub no longer lists the node',
            );
            return { how: 'drain-complete' };
          }
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          // Wait for the node process instead; the hub is not needed for that.
          askHub = false;
          log.warn({ step: 'hub-unreachable', sessions: 0, reason: error.message }, 'hub not answering');
        }
      }
      if (now() - idleSince >= STUCK_IDLE_MS) {
        log.warn(
          { step: 'node-idle', sessions: 0, availability: status.availability },
          'node has no session but did not exit: stopping it is safe',
        );
        return { how: 'idle-but-stuck' };
      }
    }
  }
}

async function _confirmHubDropped(
  http: GridHttp,
  gridUrl: string,
  nodeId: string,
  pollMs: number,
  remaining: () => number,
  now: () => number,
  log: Logger,
): Promise<void> {
  const until = Math.min(HUB_CONFIRM_MS, remaining());
  const started = now();
  let availability: string | undefined;
  for (;;) {
    try {
      availability = await hubNodeAvailability(http, gridUrl, nodeId);
      if (availability === undefined) {
        log.info({ step: 'hub-dropped', sessions: 0 }, 'hub no longer lists the node');
        return;
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      log.warn({ step: 'hub-unreachable', sessions: 0, reason: error.message }, 'hub not asked');
      return;
    }
    if (now() - started >= until) break;
    await sleep(Math.max(0, Math.min(pollMs, until - (now() - started))));
  }
  log.warn(
    { step: 'hub-still-lists', sessions: 0, availability },
    'hub still lists the node; it will drop it after its health check',
  );
}
