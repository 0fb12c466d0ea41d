import type { ScrapedRecord } from '../spec/job-spec.ts';
import { normaliseUrl } from './request-queue.ts';

/** What to do with an item that points at a detail page. */
export type DetailJoin =
  /** The first item for this page: queue the page; the item waits for it. */
  | { kind: 'queue' }
  /** The page is queued or being read: the item waits for it. */
  | { kind: 'waiting' }
  /** The page was read before: here is the item with its fields joined, ready to write. */
  | { kind: 'joined'; record: ScrapedRecord }
  /** The page failed for good: the item cannot be completed (counted with that failure). */
  | { kind: 'lost' };

/**
 * Detail pages shared by many items (quotes → their author, products → their brand): each page is
 * read once per job, its fields kept by URL for the run, and joined into every item that points at
 * it, those waiting for it and those that come later.
 */
export class DetailJoins {
  readonly #pages = new Map<string, PageState>();

  /** An item points at `url`. */
  add(url: string, item: ScrapedRecord): DetailJoin {
    const key = normaliseUrl(url);
    const page = this.#pages.get(key);
    if (page === undefined) {
      this.#pages.set(key, { status: 'pending', items: [item] });
      return { kind: 'queue' };
    }
    if (page.status === 'pending') {
      page.items.push(item);
      return { kind: 'waiting' };
    }
    if (page.status === 'failed') {
      page.lost++;
      return { kind: 'lost' };
    }
    return { kind: 'joined', record: { ...item, ...page.fields } };
  }

  /** The page was read: every item waiting for it, joined. */
  resolve(url: string, fields: ScrapedRecord): ScrapedRecord[] {
    const key = normaliseUrl(url);
    const page = this.#pages.get(key);
    this.#pages.set(key, { status: 'read', fields });
    return page?.status === 'pending' ? page.items.map((item) => ({ ...item, ...fields })) : [];
  }

  /** The page failed for good: how many items were waiting for it. */
  fail(url: string): number {
    const key = normaliseUrl(url);
    const page = this.#pages.get(key);
    const lost = page?.status === 'pending' ? page.items.length : 0;
    this.#pages.set(key, { status: 'failed', lost });
    return lost;
  }

  /** Detail pages read so far. */
  get pagesRead(): number {
    let read = 0;
    for (const page of this.#pages.values()) if (page.status === 'read') read++;
    return read;
  }
}

// --- internal ---

type PageState =
  | { status: 'pending'; items: ScrapedRecord[] }
  | { status: 'read'; fields: ScrapedRecord }
  | { status: 'failed'; lost: number };
