import type { WebDriver } from 'selenium-webdriver';
import type { FieldSpec, JobSpec, ScrapedRecord } from '../spec/job-spec.ts';
import { buildRecord } from './build-record.ts';
import type { PagePlan } from './page-script.ts';
import type { PageRequest } from './request-queue.ts';
import { runPageActions } from './run-page-actions.ts';
import { runPagePlan } from './run-page-plan.ts';

export interface PageOutcome {
  /** The records read: a listing page's items, or one detail record joined with its item. */
  records: ScrapedRecord[];
  /** The next listing page's absolute URL, when the page has a next link. */
  next?: string;
}

/**
 * Loads one page in the session and reads it: waits for the rendered content, runs the page
 * actions, and reads every item in one script call (two when actions run in between).
 */
export async function visitPage(
  driver: WebDriver,
  request: PageRequest,
  spec: JobSpec,
  env: Readonly<Record<string, string | undefined>>,
): Promise<PageOutcome> {
  await driver.get(request.url);
  if (request.kind === 'detail') {
    const detail = spec.detail!;
    const reading = await runPagePlan(driver, { wait: detail.wait, fields: _scriptFields(detail.fields) });
    const joined = { ...request.item, ...buildRecord(reading.fields ?? {}, detail.fields, reading.baseUri) };
    return { records: [joined] };
  }
  const read: PagePlan = {
    items: { locator: spec.items.locator, fields: _scriptFields(spec.items.fields) },
    ...(spec.pagination ? { next: spec.pagination.next } : {}),
  };
  let reading: Awaited<ReturnType<typeof runPagePlan>>;
  if (spec.actions.length === 0) {
    reading = await runPagePlan(driver, { wait: spec.wait, ...read });
  } else {
    await runPagePlan(driver, { wait: spec.wait });
    await runPageActions(driver, spec.actions, env);
    reading = await runPagePlan(driver, read);
  }
  const records = reading.items.map((raw) => buildRecord(raw, spec.items.fields, reading.baseUri));
  return reading.next ? { records, next: new URL(reading.next, reading.baseUri).href } : { records };
}

// --- internal ---

function _scriptFields(fields: Record<string, FieldSpec>): NonNullable<PagePlan['fields']> {
  return Object.entries(fields).map(([name, f]) => [name, { locator: f.locator, read: f.read, all: f.all }]);
}
