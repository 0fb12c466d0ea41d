import type { WebDriver } from 'selenium-webdriver';
import type { FieldSpec, JobSpec, ScrapedRecord } from '../spec/job-spec.ts';
import { buildRecord } from './build-record.ts';
import { clickLoadMore, clickNext } from './follow-by-click.ts';
import type { PagePlan, PageReading, RawValue } from './page-script.ts';
import type { PageRequest } from './request-queue.ts';
import { runPageActions } from './run-page-actions.ts';
import { describeLocator, runPagePlan } from './run-page-plan.ts';

export interface PageOutcome {
  /** A listing page's items (of every page clicked through), or a detail page's own fields. */
  records: ScrapedRecord[];
  /** The next listing page's absolute URL, when its next link is to be followed. */
  next?: string;
  /** Set when the next control matched but could not be followed: what the log and manifest say. */
  unfollowable?: string;
  /** Elements the items selector matched (listing pages). */
  itemsMatched: number;
  /** Fields that had a value on at least one item (or on the detail page). */
  fieldsMatched: string[];
  /** Listing pages read in this visit: more than one when a next control is clicked through. */
  pagesRead: number;
}

export interface VisitOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Called as each page of the visit starts: the caller's page timeout starts again. */
  onPage: () => void;
}

/**
 * Loads one page in the session and reads it: waits for the rendered content, runs the page
 * actions, clicks "load more" and next controls as the spec says, and reads the items in one
 * script call per page. The records of a visit are returned together, so a visit that fails is
 * retried whole and never writes a record twice.
 */
export async function visitPage(
  driver: WebDriver,
  request: PageRequest,
  spec: JobSpec,
  options: VisitOptions,
): Promise<PageOutcome> {
  const timeout = spec.limits.pageTimeoutMs;
  let deadline = Date.now() + timeout;
  const newPage = () => {
    options.onPage();
    deadline = Date.now() + timeout;
  };
  await driver.get(request.url);
  if (request.kind === 'detail') {
    const detail = spec.detail!;
    const reading = await runPagePlan(driver, { wait: detail.wait, fields: _scriptFields(detail.fields) });
    const raw = reading.fields ?? {};
    return {
      records: [buildRecord(raw, detail.fields, reading.baseUri)],
      itemsMatched: 0,
      fieldsMatched: _matched([raw]),
      pagesRead: 0,
    };
  }
  const pagination = spec.pagination;
  const read: PagePlan = {
    items: { locator: spec.items.locator, fields: _scriptFields(spec.items.fields) },
    ...(pagination?.next ? { next: pagination.next } : {}),
  };
  const prepare = async () => {
    await runPagePlan(driver, { wait: spec.wait });
    await runPageActions(driver, spec.actions, options.env, deadline);
  };
  let reading: PageReading;
  if (spec.actions.length === 0 && !pagination?.loadMore) {
    reading = await runPagePlan(driver, { wait: spec.wait, ...read });
  } else {
    await prepare();
    if (pagination?.loadMore) {
      await clickLoadMore(driver, pagination.loadMore, spec.items.locator, {
        deadline: () => deadline,
        settleTimeoutMs: spec.wait.timeoutMs,
        maxClicks: pagination.maxPages - 1,
      });
    }
    reading = await runPagePlan(driver, read);
  }
  const readings = [reading];
  let unfollowable: string | undefined;
  if (pagination?.next && pagination.follow === 'click') {
    while (readings.length < pagination.maxPages && reading.next && !reading.next.disabled) {
      newPage();
      const outcome = await clickNext(driver, pagination.next, spec.items.locator, {
        deadline,
        settleTimeoutMs: spec.wait.timeoutMs,
      });
      if (outcome === 'unchanged') {
        unfollowable = `pagination.next ${describeLocator(pagination.next)} was clicked on ${reading.url} (page ${readings.length} of the visit) and the page showed no other items within ${spec.wait.timeoutMs} ms`;
        break;
      }
      if (outcome === 'navigated') await prepare();
      reading = await runPagePlan(driver, { wait: spec.wait, ...read });
      readings.push(reading);
    }
  }
  const raws = readings.flatMap((r) => r.items);
  const records = readings.flatMap((r) =>
    r.items.map((raw) => buildRecord(raw, spec.items.fields, r.baseUri)),
  );
  const outcome: PageOutcome = {
    records,
    itemsMatched: raws.length,
    fieldsMatched: _matched(raws),
    pagesRead: readings.length,
  };
  if (!pagination?.next || pagination.follow === 'click' || !reading.next || reading.next.disabled)
    return unfollowable ? { ...outcome, unfollowable } : outcome;
  const next = _followable(reading.next.href, reading.baseUri, reading.url);
  if (next !== undefined) return { ...outcome, next };
  return {
    ...outcome,
    unfollowable: `pagination.next ${describeLocator(pagination.next)} matched an element on ${reading.url} with ${reading.next.href === null ? 'no href' : `href "${reading.next.href}"`}, which is no link to another page; if the page navigates when it is clicked, set pagination.follow: click`,
  };
}

// --- internal ---

function _scriptFields(fields: Record<string, FieldSpec>): NonNullable<PagePlan['fields']> {
  return Object.entries(fields).map(([name, f]) => [name, { locator: f.locator, read: f.read, all: f.all }]);
}

function _matched(raws: Record<string, RawValue>[]): string[] {
  const names = new Set<string>();
  for (const raw of raws)
    for (const [name, value] of Object.entries(raw))
      if (value !== null && !(Array.isArray(value) && value.length === 0)) names.add(name);
  return [...names];
}

/** The absolute URL of a next link, or undefined when it leads nowhere but this page. */
function _followable(href: string | null, baseUri: string, pageUrl: string): string | undefined {
  if (href === null || href.trim() === '' || /^\s*javascript:/i.test(href)) return undefined;
  let url: URL;
  try {
    url = new URL(href, baseUri);
  } catch {
    return undefined;
  }
  const here = new URL(pageUrl);
  url.hash = '';
  here.hash = '';
  return url.href === here.href ? undefined : url.href;
}
