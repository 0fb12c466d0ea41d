import { describe, expect, test } from 'vitest';
import { parseJobSpec } from '../spec/parse-job-spec.ts';
import { runVerdict } from './run-verdict.ts';

const spec = (limits = '') =>
  parseJobSpec(
    `version: 1
name: t
start: { urls: ['http://s.test/'] }
items:
  selector: li.quote
  fields:
    text: span.text
    author: { css: small.author, attribute: href, type: url }
detail:
  urlField: author
  fields:
    born: .born
${limits}`,
    { env: {} },
  );

describe('runVerdict', () => {
  test('an items selector that matched nothing fails the run and names the selector', () => {
    expect(
      runVerdict(spec(), {
        listingPages: 10,
        itemsMatched: 0,
        detailPages: 0,
        records: 0,
        fieldsMatched: new Set(),
      }),
    ).toEqual({
      failure: 'items.selector css "li.quote" matched nothing on any of the 10 listing pages read',
      notes: [
        {
          code: 'ITEMS_NEVER_MATCHED',
          message: 'items.selector css "li.quote" matched nothing on any of the 10 listing pages read',
        },
      ],
    });
  });

  test('minItems: 0 accepts an empty run, and still notes it', () => {
    const verdict = runVerdict(spec('limits: { minItems: 0 }'), {
      listingPages: 1,
      itemsMatched: 0,
      detailPages: 0,
      records: 0,
      fieldsMatched: new Set(),
    });
    expect(verdict.failure).toBeUndefined();
    expect(verdict.notes.map((n) => n.code)).toEqual(['ITEMS_NEVER_MATCHED']);
  });

  test('fewer records than minItems fails; a field that never matched is reported by name', () => {
    expect(
      runVerdict(spec('limits: { minItems: 50 }'), {
        listingPages: 2,
        itemsMatched: 20,
        detailPages: 3,
        records: 20,
        fieldsMatched: new Set(['text', 'author']),
      }),
    ).toEqual({
      failure:
        '20 records written, fewer than limits.minItems (50); items.selector css "li.quote" matched 20 items on 2 listing pages',
      notes: [
        {
          code: 'TOO_FEW_RECORDS',
          message:
            '20 records written, fewer than limits.minItems (50); items.selector css "li.quote" matched 20 items on 2 listing pages',
        },
        {
          code: 'FIELD_NEVER_MATCHED',
          field: 'born',
          message: 'detail.fields.born (css ".born") matched nothing on any page: every record has it null',
        },
      ],
    });
  });

  test('a healthy run says nothing', () => {
    expect(
      runVerdict(spec(), {
        listingPages: 2,
        itemsMatched: 20,
        detailPages: 3,
        records: 20,
        fieldsMatched: new Set(['text', 'author', 'born']),
      }),
    ).toEqual({ notes: [] });
  });
});
