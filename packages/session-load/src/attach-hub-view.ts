import type { SessionTimeline } from './session-timeline.ts';
import type { HubView } from './start-hub-session-sampler.ts';

/** Adds to each timeline the node the hub placed its session on and the hub's start time. */
export function attachHubView(timelines: readonly SessionTimeline[], hub: HubView): SessionTimeline[] {
  const byId = new Map(hub.sessions.map((s) => [s.sessionId, s]));
  return timelines.map((t) => {
    const seen = t.sessionId === undefined ? undefined : byId.get(t.sessionId);
    if (!seen) return t;
    return {
      ...t,
      nodeId: seen.nodeId,
      nodeUri: seen.nodeUri,
      ...(seen.startedAt === undefined ? {} : { hubStartedAt: seen.startedAt }),
    };
  });
}
