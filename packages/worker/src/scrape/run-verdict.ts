import type { ManifestNote } from '../output/manifest.ts';
import type { JobSpec } from '../spec/job-spec.ts';
import { describeLocator } from './run-page-plan.ts';

export interface RunTally {
  /** Listing pages read (each page clicked through counts). */
  listingPages: number;
  /** Elements the items selector matched on them. */
  itemsMatched: number;
  detailPages: number;
  records: number;
  /** Fields that had a value at least once. */
  fieldsMatched: ReadonlySet<string>;
}

/**
 * What a finished scrape must say even when no page failed: a site redesign shows up as an items
 * selector that matches nothing (the run fails, naming the selector) or as fields that match
 * nothing on any page (reported by name). A run writing fewer than limits.minItems records fails.
 */
export function runVerdict(spec: JobSpec, tally: RunTally): { notes: ManifestNote[]; failure?: string } {
  const notes: ManifestNote[] = [];
  const selector = `items.selector ${describeLocator(spec.items.locator)}`;
  let failure: string | undefined;
  const { minItems } = spec.limits;
  if (tally.listingPages > 0 && tally.itemsMatched === 0) {
    const message = `${selector} matched nothing on any of the ${tally.listingPages} listing pages read`;
    notes.push({ code: 'ITEMS_NEVER_MATCHED', message });
    if (minItems > 0) failure = message;
  } else if (tally.records < minItems) {
    const message = `${tally.records} records written, fewer than limits.minItems (${minItems}); ${selector} matched ${tally.itemsMatched} items on ${tally.listingPages} listing pages`;
    notes.push({ code: 'TOO_FEW_RECORDS', message });
    failure = message;
  }
  const groups = [
    ['items.fields', spec.items.fields, tally.itemsMatched > 0],
    ['detail.fields', spec.detail?.fields ?? {}, tally.detailPages > 0],
  ] as const;
  for (const [path, fields, read] of groups) {
    if (!read) continue;
    for (const [name, field] of Object.entries(fields)) {
      if (tally.fieldsMatched.has(name)) continue;
      const where = field.locator ? describeLocator(field.locator) : 'the item itself';
      notes.push({
        code: 'FIELD_NEVER_MATCHED',
        field: name,
        message: `${path}.${name} (${where}) matched nothing on any page: every record has it null`,
      });
    }
  }
  return failure === undefined ? { notes } : { notes, failure };
}
