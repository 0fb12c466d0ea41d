import type { SessionTimeline } from './session-timeline.ts';
import type { ReplicaSample } from './start-cluster-recorder.ts';

/** A stretch of replica samples at 0 desired nodes while sessions had browsers. Epoch ms. */
export interface Flap {
  readonly from: number;
  readonly to: number;
  /** Timeline indexes of the sessions running during it. */
  readonly sessions: readonly number[];
}

/**
 * Moments the autoscaler asked for 0 nodes (the Deployment's spec.replicas) while a session was
 * running: a pool that flapped to 0 under its users. A session runs from its creation to its end
 * minus `slackMs` (default 1000 ms): a sample is taken when its read answers, and the last second
 * of a session that is quitting is no flap. Consecutive samples at 0 make one flap.
 */
export function findFlaps(
  samples: readonly ReplicaSample[],
  timelines: readonly SessionTimeline[],
  options: { readonly slackMs?: number } = {},
): Flap[] {
  const slackMs = options.slackMs ?? 1_000;
  const flaps: { from: number; to: number; sessions: Set<number> }[] = [];
  let open: (typeof flaps)[number] | undefined;
  for (const sample of [...samples].sort((a, b) => a.at - b.at)) {
    const running =
      sample.spec !== 0
        ? []
        : timelines.filter(
            (t) => t.createdAt !== undefined && t.createdAt <= sample.at && sample.at < t.endedAt - slackMs,
          );
    if (running.length === 0) {
      open = undefined;
      continue;
    }
    if (!open) {
      open = { from: sample.at, to: sample.at, sessions: new Set() };
      flaps.push(open);
    }
    open.to = sample.at;
    for (const t of running) open.sessions.add(t.index);
  }
  return flaps.map((f) => ({ from: f.from, to: f.to, sessions: [...f.sessions].sort((a, b) => a - b) }));
}
