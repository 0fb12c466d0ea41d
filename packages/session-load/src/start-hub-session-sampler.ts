import { createGridClient, type GridStatus } from '@scrapegrid/selenium-grid';
import { type HubSession, readHubSessions } from './read-hub-sessions.ts';

/** A session the hub listed, with when we first and last saw it (epoch ms). */
export interface HubSessionRecord extends HubSession {
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
}

export interface HubView {
  readonly sessions: readonly HubSessionRecord[];
  /** /status reads that answered, and those that did not (a hub restarting, a timeout). */
  readonly samples: number;
  readonly failedSamples: number;
}

export interface HubSessionSampler {
  /** Stops sampling (after the read in flight) and returns what was seen. */
  stop(): Promise<HubView>;
}

export interface HubSessionSamplerOptions {
  readonly hubUrl: string;
  readonly registrationSecret?: string;
  /** Default 1000 ms. */
  readonly intervalMs?: number;
  /** Reads the hub's status; default through the one Grid client (a 3 s deadline per read). */
  readonly readStatus?: () => Promise<GridStatus>;
  readonly now?: () => number;
}

/**
 * Reads the hub's /status every second and keeps every session it lists: which node holds it and
 * when the hub says it started. A failed read is counted, never thrown: the hub may be restarting.
 */
export function startHubSessionSampler(options: HubSessionSamplerOptions): HubSessionSampler {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 1_000;
  const client = options.readStatus
    ? undefined
    : createGridClient({ url: options.hubUrl, registrationSecret: options.registrationSecret ?? '' });
  const readStatus = options.readStatus ?? (() => (client as NonNullable<typeof client>).status());
  const seen = new Map<string, HubSessionRecord>();
  let samples = 0;
  let failedSamples = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const sample = async (): Promise<void> => {
    try {
      const status = await readStatus();
      const at = now();
      samples++;
      for (const session of readHubSessions(status)) {
        const before = seen.get(session.sessionId);
        seen.set(session.sessionId, { ...session, firstSeenAt: before?.firstSeenAt ?? at, lastSeenAt: at });
      }
    } catch {
      failedSamples++;
    }
  };
  let inFlight: Promise<void> = sample();
  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = sample().then(loop);
    }, intervalMs);
  };
  inFlight = inFlight.then(loop);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      await client?.close();
      return { sessions: [...seen.values()], samples, failedSamples };
    },
  };
}
