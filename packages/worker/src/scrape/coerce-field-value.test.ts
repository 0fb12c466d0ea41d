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
  ] as const)('%s %j (%s) is refused: %s', (type, raw, format, message) => {
    expect(() => coerceFieldValue(raw, field(type, format), PAGE)).toThrow(FieldValueError);
    expect(() => coerceFieldValue(raw, field(type, format), PAGE)).toThrow(message);
  });
});
