import type { ScrapedRecord } from '../spec/job-spec.ts';

export interface PageRequest {
  url: string;
  /** A listing page (items, next link) or an item's detail page (fields joined into `item`). */
  kind: 'listing' | 'detail';
  /** Listing pages followed from the start URL, the start page being 1. */
  depth: number;
  /** Attempts made so far. */
  attempts: number;
  /** For a detail page: the listing item its fields are joined into. */
  item?: ScrapedRecord;
  /** Why the last attempt failed. */
  lastError?: string;
}

/**
 * The pages still to visit. Every URL is accepted once (fragment ignored), so no page is visited
 * twice; a failed page comes back after its backoff delay; `next()` waits while pages are in
 * flight, since a page in flight may add more, and returns undefined once all work is done.
 */
export class RequestQueue {
  readonly #seen = new Set<string>();
  readonly #ready: PageRequest[] = [];
  readonly #waiters: ((request: PageRequest | undefined) => void)[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #inFlight = 0;
  #closed = false;

  /** Adds a page unless its URL was added before; true when added. */
  add(request: Omit<PageRequest, 'attempts'>): boolean {
    const key = normaliseUrl(request.url);
    if (this.#closed || this.#seen.has(key)) return false;
    this.#seen.add(key);
    this.#push({ ...request, attempts: 0 });
    return true;
  }

  /** The next page to visit, or undefined when nothing is left (or the queue was closed). */
  next(): Promise<PageRequest | undefined> {
    const request = this.#ready.shift();
    if (request) {
      this.#inFlight++;
      return Promise.resolve(request);
    }
    if (this.#isDone()) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** The page taken with next() is finished (succeeded or failed for good). */
  done(_request: PageRequest): void {
    this.#inFlight--;
    this.#wakeIfDone();
  }

  /** The page taken with next() failed; it comes back after delayMs. */
  retryLater(request: PageRequest, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#inFlight--;
      if (this.#closed) return this.#wakeIfDone();
      this.#push(request);
    }, delayMs);
    this.#timers.add(timer);
  }

  /** Stops handing out pages: every waiter gets undefined, pending retries are dropped. */
  close(): void {
    this.#closed = true;
    this.#ready.length = 0;
    for (const timer of this.#timers) {
      clearTimeout(timer);
      this.#inFlight--;
    }
    this.#timers.clear();
    for (const waiter of this.#waiters.splice(0)) waiter(undefined);
  }

  /** Pages waiting (ready or in backoff) plus pages being visited. */
  get outstanding(): number {
    return this.#ready.length + this.#inFlight;
  }

  // --- internal ---

  #push(request: PageRequest): void {
    const waiter = this.#waiters.shift();
    if (waiter) {
      this.#inFlight++;
      waiter(request);
    } else {
      this.#ready.push(request);
    }
  }

  #isDone(): boolean {
    return this.#closed || (this.#ready.length === 0 && this.#inFlight === 0);
  }

  #wakeIfDone(): void {
    if (this.#isDone()) for (const waiter of this.#waiters.splice(0)) waiter(undefined);
  }
}

/** The identity of a page: the URL without its fragment. */
export function normaliseUrl(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.href;
}
