import type { GridSnapshot } from './grid-snapshot.ts';

/** Where snapshots come from: the GridPoller, or a test's fake. */
export interface SnapshotSource {
  current(): GridSnapshot | undefined;
  /** Called after every poll, success or not. */
  onPoll(listener: (snapshot: GridSnapshot) => void): void;
  /** Polls now (or joins the poll in flight); its listeners are called as for any poll. */
  pollOnce(): Promise<unknown>;
}

/** A pool's desired nodes in the last snapshot, or why there is no number. */
export type PoolReading =
  | { readonly ok: true; readonly desiredNodes: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Each pool's activity (desired nodes > 0) for KEDA's StreamIsActive. A watcher gets the current
 * state at once and then every change, when the poll that shows it ends (not on KEDA's next tick):
 * a pushed `true` is what takes a pool from 0 to 1 without waiting for KEDA's pollingInterval.
 * A failed poll pushes nothing: KEDA keeps what it had, as with the metrics-api endpoint's 503.
 */
export class PoolActivity {
  readonly #source: SnapshotSource;
  readonly #watchers = new Map<string, Set<_Watcher>>();

  constructor(source: SnapshotSource) {
    this.#source = source;
    source.onPoll((snapshot) => this.#publish(snapshot));
  }

  reading(pool: string): PoolReading {
    const snapshot = this.#source.current();
    if (snapshot === undefined) return { ok: false, reason: 'no poll of the Grid has ended yet' };
    if (snapshot.grid === undefined) {
      return {
        ok: false,
        reason: `the last poll of the Grid failed: ${snapshot.error?.message ?? 'unknown'}`,
      };
    }
    const demand = snapshot.grid.pools.find((p) => p.pool === pool);
    if (demand === undefined) return { ok: false, reason: `no pool named "${pool}"` };
    return { ok: true, desiredNodes: demand.desiredNodes };
  }

  /**
   * The reading IsActive answers with. `false` is what lets KEDA take the pool to 0 once its
   * cooldown has run out, so it is never said from a snapshot up to a poll interval old: a pool at 0
   * in the last snapshot is polled again first. The soak saw why: a session began on the last idle
   * node 3 s before KEDA asked, the 5 s-old snapshot said idle, and KEDA scaled the pool to 0 under
   * it (drain-hook kept the session). An active reading is served as it is: a stale `true` only
   * delays the scale-down by one poll. Costs one Grid query per IsActive while a pool is at 0.
   */
  async confirmedReading(pool: string): Promise<PoolReading> {
    const cached = this.reading(pool);
    if (cached.ok && cached.desiredNodes > 0) return cached;
    await this.#source.pollOnce();
    return this.reading(pool);
  }

  /** Calls `listener` with the current state (once known), then on each change; returns the stop. */
  watch(pool: string, listener: (active: boolean) => void): () => void {
    const watcher: _Watcher = { listener, last: undefined };
    const set = this.#watchers.get(pool) ?? new Set<_Watcher>();
    this.#watchers.set(pool, set);
    set.add(watcher);
    const reading = this.reading(pool);
    if (reading.ok) _deliver(watcher, reading.desiredNodes > 0);
    return () => {
      set.delete(watcher);
    };
  }

  /** Does the last successful poll show a pool with no demand (the case a push speeds up)? */
  anyInactive(): boolean {
    return this.#source.current()?.grid?.pools.some((p) => p.desiredNodes === 0) ?? false;
  }

  /** Open watches, for tests and the shutdown log. */
  get watching(): number {
    let n = 0;
    for (const set of this.#watchers.values()) n += set.size;
    return n;
  }

  // --- internal ---

  #publish(snapshot: GridSnapshot): void {
    if (snapshot.grid === undefined) return;
    for (const [pool, watchers] of this.#watchers) {
      const demand = snapshot.grid.pools.find((p) => p.pool === pool);
      if (demand === undefined) continue;
      for (const watcher of watchers) _deliver(watcher, demand.desiredNodes > 0);
    }
  }
}

// --- internal ---

interface _Watcher {
  readonly listener: (active: boolean) => void;
  last: boolean | undefined;
}

function _deliver(watcher: _Watcher, active: boolean): void {
  if (watcher.last === active) return;
  watcher.last = active;
  watcher.listener(active);
}
