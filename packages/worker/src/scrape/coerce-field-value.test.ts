import { describe, expect, test } from 'vitest';
import type { FieldSpec } from '../spec/job-spec.ts';
import { coerceFieldValue, FieldValueError } from './coerce-field-value.ts';

const field = (type: FieldSpec['type'], format?: string): FieldSpec => ({
  read: { kind: 'text' },
  all: false,
  type,
  required: false,
  ...(format ? { format } : {}),
});
const PAGE = 'http://shop.test/products?page=2';

describe('coerceFieldValue', () => {
  test.each([
    ['string', '  as is  ', undefined, '  as is  '],
    ['integer', '42', undefined, 42],
    ['integer', '1,234', undefined, 1234],
    ['integer', '-7', undefined, -7],
    ['number', '12.50', undefined, 12.5],
    ['number', '$ 1,299.99', undefined, 1299.99],
    ['number', '12 €', undefined, 12],
    ['boolean', 'Yes', undefined, true],
    ['boolean', 'no', undefined, false],
    ['boolean', 'FALSE', undefined, false],
    ['url', '/product/3', undefined, 'http://shop.test/product/3'],
    ['url', 'https://other.test/x', undefined, 'https://other.test/x'],
    ['json', '{"a":[1,2]}', undefined, { a: [1, 2] }],
    ['timestamp', '2026-01-01T01:00:00.000Z', undefined, '2026-01-01T01:00:00.000Z'],
    ['timestamp', '2026-01-01T02:00:00+01:00', 'iso8601', '2026-01-01T01:00:00.000Z'],
    ['timestamp', '2026-03-04', 'iso8601', '2026-03-04T00:00:00.000Z'],
    ['timestamp', '1767229200', 'epoch-seconds', '2026-01-01T01:00:00.000Z'],
    ['timestamp', '1767229200123', 'epoch-millis', '2026-01-01T01:00:00.123Z'],
    ['timestamp', '04/03/2026 13:05', '%d/%m/%Y %H:%M', '2026-03-04T13:05:00.000Z'],
    ['timestamp', 'Mar 4 2026 1:05 PM +0200', '%b %e %Y %I:%M %p %z', '2026-03-04T11:05:00.000Z'],
    ['timestamp', 'March 14, 1879', '%B %d, %Y', '1879-03-14T00:00:00.000Z'],
    ['timestamp', 'SEPTEMBER 9, 2026', '%B %d, %Y', '2026-09-09T00:00:00.000Z'],
    ['timestamp', 'Friday, 14 March 1879', '%A, %d %B %Y', '1879-03-14T00:00:00.000Z'],
    ['timestamp', 'Tue, 3 Feb 26', '%a, %e %b %y', '2026-02-03T00:00:00.000Z'],
    ['timestamp', '31 Dec 69', '%d %b %y', '1969-12-31T00:00:00.000Z'],
    ['timestamp', '1 jan 68', '%d %b %y', '2068-01-01T00:00:00.000Z'],
    ['timestamp', 'may 5 2026', '%B %e %Y', '2026-05-05T00:00:00.000Z'],
  ] as const)('%s %j (%s) → %j', (type, raw, format, expected) => {
    expect(coerceFieldValue(raw, field(type, format), PAGE)).toEqual(expected);
  });

  test.each([
    ['integer', '1.5', undefined, '"1.5" is not an integer'],
    ['integer', 'n/a', undefined, '"n/a" is not an integer'],
    ['number', '1e', undefined, '"1e" is not a number'],
    ['boolean', 'maybe', undefined, '"maybe" is not a boolean'],
    ['json', '{oops', undefined, '"{oops" is not JSON'],
    ['timestamp', 'yesterday', undefined, '"yesterday" is not a timestamp in format iso8601'],
    ['timestamp', '2026/13/01', '%Y/%m/%d', 'is not a timestamp in format %Y/%m/%d'],
    ['timestamp', 'Mars 14, 1879', '%B %d, %Y', '"Mars 14, 1879" is not a timestamp in format %B %d, %Y'],
    ['timestamp', 'March 14, 1879', '%b %d, %Y', 'is not a timestamp in format %b %d, %Y'],
    ['timestamp', 'Funday, 14 March 1879', '%A, %d %B %Y', 'is not a timestamp'],
    ['timestamp', 'February 30, 2026', '%B %d, %Y', 'is not a timestamp'],
  ] as const)('%s %j (%s) is refused: %s', (type, raw, format, message) => {
    expect(() => coerceFieldValue(raw, field(type, format), PAGE)).toThrow(FieldValueError);
    expect(() => coerceFieldValue(raw, field(type, format), PAGE)).toThrow(message);
  });
});
