/**
 * Remembers when each queued request was first seen, across polls. The Grid's queue carries no
 * timestamps, so the oldest wait is measured from the first poll that saw the request: it can be
 * short by up to one poll interval, never long.
 */
export class QueueWaitTracker {
  #firstSeen = new Map<string, number>();

  /** Records the queue's request ids as seen at `nowMs`; requests no longer queued are forgotten. */
  observe(requestIds: readonly string[], nowMs: number): void {
    const next = new Map<string, number>();
    for (const id of requestIds) next.set(id, this.#firstSeen.get(id) ?? nowMs);
    this.#firstSeen = next;
  }

  /** Seconds the oldest request still queued has waited, 0 when the queue is empty. */
  oldestWaitSeconds(nowMs: number): number {
    let oldest = nowMs;
    for (const seen of this.#firstSeen.values()) oldest = Math.min(oldest, seen);
    return (nowMs - oldest) / 1000;
  }
}
