import { type Clock, systemClock } from './clock.ts';
import type { GridClient } from './create-grid-client.ts';
import type { DrainAnswer } from './drain-answer.ts';
import { GridError } from './grid-error.ts';
import type { GridLog } from './grid-log.ts';
import type { GridNodeStatus } from './parse-grid-status.ts';

export interface DrainOutcome {
  readonly result: 'drained' | 'already-gone';
  readonly nodeId: string | undefined;
  /** How the wait ended (undefined when the node was already gone). */
  readonly how: 'exited' | 'drain-complete' | 'idle-but-stuck' | 'idle-at-deadline' | undefined;
}

export interface DrainNodeDeps {
  /** The node to drain (its own URL, e.g. http://127.0.0.1:5555). */
  readonly node: GridClient;
  /** The hub/router it is registered with, when known: drained through it too. */
  readonly hub: GridClient | undefined;
  /** When the pod must be free to go, on `clock.now()`'s scale. */
  readonly deadlineAt: number;
  /** How often the node's /status is polled while it drains. */
  readonly pollMs: number;
  readonly log: GridLog;
  readonly clock?: Clock | undefined;
}

/**
 * Drains the node (through the hub and locally at once) and waits until it has no session and
 * has left the Grid, within the deadline: drain-hook's preStop and the reaper's chrome stop path
 * both drain with this. Resolves when the node may be stopped; throws GridError
 * GRID_DRAIN_DEADLINE (sessions still running) or GRID_DRAIN_REFUSED otherwise.
 */
export async function drainNodeAndWait(deps: DrainNodeDeps): Promise<DrainOutcome> {
  const { node, hub, log } = deps;
  const clock = deps.clock ?? systemClock;
  const remaining = () => deps.deadlineAt - clock.now();

  // 1. Find the node. Nothing listening means it is already gone: nothing to protect.
  const first = await _findNode(deps, clock, remaining);
  if (first.status === undefined) {
    log.info(
      { step: 'already-gone', sessions: 0, reason: first.reason },
      'node does not answer: already drained',
    );
    return { result: 'already-gone', nodeId: undefined, how: undefined };
  }
  const nodeId = first.status.id;
  const nodeLog = log.child({ nodeId });
  nodeLog.info(
    { step: 'found', sessions: first.status.sessions, availability: first.status.availability },
    'node found',
  );

  // 2. Drain through the hub and locally at once: the hub's drain marks the node DRAINING in the
  // distributor's model, so it stops placing sessions there even before the node hears of it.
  const mustCall = { timeoutMs: Math.max(MUST_CALL_MS, remaining()) };
  const [hubAnswer, nodeAnswer] = await Promise.all([
    hub
      ? hub.drainNodeThroughHub(nodeId, mustCall)
      : Promise.resolve<DrainAnswer>({ outcome: 'skipped', detail: 'no hub configured' }),
    node.drainNode(mustCall),
  ]);
  const accepted = hubAnswer.outcome === 'accepted' || nodeAnswer.outcome === 'accepted';
  // An idle node's own drain can complete, and the hub drop the node, before the hub's request
  // arrives; the hub then refuses (`value false`). That refusal costs nothing when the hub no
  // longer lists the node: nothing can be placed there.
  const hubDroppedFirst =
    hub !== undefined &&
    hubAnswer.outcome === 'refused' &&
    nodeAnswer.outcome === 'accepted' &&
    first.status.sessions === 0 &&
    (await _hubNoLongerLists(hub, nodeId, mustCall));
  // Anything else short of both accepting is worth a warning: a wrong hub password or a hub that is
  // down leaves the distributor placing sessions until the node's own drain reaches it.
  const clean =
    nodeAnswer.outcome === 'accepted' &&
    (hubAnswer.outcome === 'accepted' || hubAnswer.outcome === 'skipped' || hubDroppedFirst);
  nodeLog[clean ? 'info' : 'warn'](
    {
      step: 'drain-requested',
      sessions: first.status.sessions,
      node: nodeAnswer,
      hub: hubAnswer,
      ...(hubDroppedFirst ? { hubNoLongerListsNode: true } : {}),
    },
    accepted ? 'drain requested' : 'drain not accepted',
  );
  if (!accepted && nodeAnswer.outcome === 'refused' && first.status.availability !== 'DRAINING') {
    throw new GridError(
      'GRID_DRAIN_REFUSED',
      `the node refused to drain (${nodeAnswer.detail}); hub: ${hubAnswer.detail}`,
    );
  }

  // 3. Wait for the sessions to end and the node to leave.
  const askHub = hub !== undefined && hubAnswer.outcome !== 'unreachable' ? hub : undefined;
  const how = await _waitForNodeToLeave(deps, clock, askHub, nodeId, nodeLog, first.status);

  // 4. The node process is gone: confirm the hub has let go of it too, so nothing is routed there.
  if (askHub && how === 'exited') await _confirmHubDropped(deps, clock, askHub, nodeId, nodeLog);
  nodeLog.info({ step: 'done', sessions: 0, how }, 'drained: the pod may stop');
  return { result: 'drained', nodeId, how };
}

// --- internal ---

/**
 * The least time given to the calls that must happen once (find the node, request the drain),
 * even when the deadline is already past: only the waiting is cut short by the deadline.
 */
const MUST_CALL_MS = 1_000;
// A draining node with no session exits about 1 s later. One still answering long after its last
// session is stuck (docker-selenium#2654); it has nothing left to lose, so SIGTERM is safe.
const STUCK_IDLE_MS = 10_000;
const PROGRESS_LOG_MS = 10_000;
const HUB_CONFIRM_MS = 5_000;
const REDRAIN_MS = 5_000;

async function _findNode(
  deps: DrainNodeDeps,
  clock: Clock,
  remaining: () => number,
): Promise<{ status?: GridNodeStatus; reason?: string }> {
  // A refused connection is final; a timeout may be a busy JVM, so look twice more before
  // calling the node gone.
  let reason = '';
  // The first look happens even past the deadline (a slow start): the drain still protects the
  // sessions from new ones, and the wait loop then reports the deadline with the session count.
  for (let attempt = 1; attempt <= 3 && (attempt === 1 || remaining() > 0); attempt++) {
    try {
      return { status: await deps.node.nodeStatus({ timeoutMs: Math.max(MUST_CALL_MS, remaining()) }) };
    } catch (error) {
      if (!(error instanceof GridError)) throw error;
      reason = error.message;
      if (error.code === 'GRID_REFUSED') break;
      await clock.sleep(Math.max(0, Math.min(deps.pollMs, remaining())));
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
  deps: DrainNodeDeps,
  clock: Clock,
  hub: GridClient | undefined,
  nodeId: string,
  log: GridLog,
  initial: GridNodeStatus,
): Promise<NonNullable<DrainOutcome['how']>> {
  const remaining = () => deps.deadlineAt - clock.now();
  const inTime = () => ({ timeoutMs: Math.max(1, remaining()) });
  let askHub = hub;
  let sessions = initial.sessions;
  let idleSince = sessions === 0 ? clock.now() : undefined;
  let lastLogAt = clock.now();
  let redrainAt = 0;
  for (;;) {
    if (remaining() <= 0 && sessions === 0) {
      log.warn(
        { step: 'deadline', sessions },
        'deadline reached; the node has no session: stopping it is safe',
      );
      return 'idle-at-deadline';
    }
    if (remaining() <= 0) {
      const message = `deadline reached with ${sessions} session(s) still running`;
      log.error({ step: 'deadline', sessions, deadlineMs: deps.deadlineAt }, message);
      throw new GridError('GRID_DRAIN_DEADLINE', message, { sessionsLeft: sessions });
    }
    await clock.sleep(Math.max(0, Math.min(deps.pollMs, remaining())));
    let status: GridNodeStatus;
    try {
      status = await deps.node.nodeStatus(inTime());
    } catch (error) {
      if (!(error instanceof GridError)) throw error;
      if (error.code === 'GRID_REFUSED') {
        log.info({ step: 'node-exited', sessions: 0 }, 'node has exited');
        return 'exited';
      }
      // A slow answer or a connection cut as the JVM stops: look again, the deadline bounds this.
      log.debug({ step: 'poll-failed', sessions, reason: error.message }, 'node status not read');
      continue;
    }
    if (status.sessions !== sessions || clock.now() - lastLogAt >= PROGRESS_LOG_MS) {
      sessions = status.sessions;
      lastLogAt = clock.now();
      log.info(
        { step: 'waiting', sessions, availability: status.availability },
        'waiting for sessions to end',
      );
    }
    if (status.availability === 'UP' && clock.now() >= redrainAt) {
      // The drain did not hold (a restarted node answers on the same port): ask again.
      redrainAt = clock.now() + REDRAIN_MS;
      const again = await deps.node.drainNode({ timeoutMs: Math.max(MUST_CALL_MS, remaining()) });
      log.warn({ step: 'drain-repeated', sessions, node: again }, 'node was UP again: drain repeated');
    }
    if (status.sessions > 0) {
      idleSince = undefined;
      continue;
    }
    idleSince ??= clock.now();
    if (askHub && status.availability === 'DRAINING') {
      try {
        if ((await _hubAvailability(askHub, nodeId, inTime())) === undefined) {
          log.info({ step: 'hub-dropped', sessions: 0 }, 'drain complete: the hub no longer lists the node');
          return 'drain-complete';
        }
      } catch (error) {
        if (!(error instanceof GridError)) throw error;
        // Wait for the node process instead; the hub is not needed for that.
        askHub = undefined;
        log.warn({ step: 'hub-unreachable', sessions: 0, reason: error.message }, 'hub not answering');
      }
    }
    if (clock.now() - idleSince >= STUCK_IDLE_MS) {
      log.warn(
        { step: 'node-idle', sessions: 0, availability: status.availability },
        'node has no session but did not exit: stopping it is safe',
      );
      return 'idle-but-stuck';
    }
  }
}

async function _confirmHubDropped(
  deps: DrainNodeDeps,
  clock: Clock,
  hub: GridClient,
  nodeId: string,
  log: GridLog,
): Promise<void> {
  const until = Math.min(HUB_CONFIRM_MS, deps.deadlineAt - clock.now());
  const started = clock.now();
  let availability: string | undefined;
  for (;;) {
    try {
      availability = await _hubAvailability(hub, nodeId, {
        timeoutMs: Math.max(1, deps.deadlineAt - clock.now()),
      });
      if (availability === undefined) {
        log.info({ step: 'hub-dropped', sessions: 0 }, 'hub no longer lists the node');
        return;
      }
    } catch (error) {
      if (!(error instanceof GridError)) throw error;
      log.warn({ step: 'hub-unreachable', sessions: 0, reason: error.message }, 'hub not asked');
      return;
    }
    if (clock.now() - started >= until) break;
    await clock.sleep(Math.max(0, Math.min(deps.pollMs, until - (clock.now() - started))));
  }
  log.warn(
    { step: 'hub-still-lists', sessions: 0, availability },
    'hub still lists the node; it will drop it after its health check',
  );
}

/** Whether the hub answers and no longer lists the node (false when it cannot be asked). */
async function _hubNoLongerLists(
  hub: GridClient,
  nodeId: string,
  call: { timeoutMs: number },
): Promise<boolean> {
  try {
    return (await _hubAvailability(hub, nodeId, call)) === undefined;
  } catch (error) {
    if (!(error instanceof GridError)) throw error;
    return false;
  }
}

/** The node's availability as the hub sees it, or undefined when the hub no longer lists it. */
async function _hubAvailability(
  hub: GridClient,
  nodeId: string,
  call: { timeoutMs: number },
): Promise<string | undefined> {
  return (await hub.status(call)).nodes.find((n) => n.id === nodeId)?.availability;
}
