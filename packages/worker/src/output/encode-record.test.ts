import { describe, expect, test } from 'vitest';
import { encodeRecord } from './encode-record.ts';
import type { SchemaColumn } from './manifest.ts';
import { RecordInvalidError } from './record-invalid-error.ts';

function column(name: string, type: SchemaColumn['type'], more: Partial<SchemaColumn> = {}): SchemaColumn {
  return { name, type, all: false, required: false, from: 'item', ...more };
}

const SCHEMA: SchemaColumn[] = [
  column('id', 'integer', { required: true }),
  column('name', 'string'),
  column('price', 'number'),
  column('available', 'boolean'),
  column('addedAt', 'timestamp'),
  column('url', 'url'),
  column('tags', 'string', { all: true }),
  column('specs', 'json'),
];

describe('encodeRecord', () => {
  test('writes keys in schema order, absent values as null, timestamps in ISO 8601 UTC with a numeric offset', () => {
    const line = encodeRecord(
      { tags: ['a', 'b'], addedAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), id: 7, specs: { w: 1 } },
      SCHEMA,
    );
    expect(line).toBe(
      '{"id":7,"name":null,"price":null,"available":null,"addedAt":"2026-01-02T03:04:05.006+00:00","url":null,"tags":["a","b"],"specs":{"w":1}}',
    );
  });

  test('keeps non-ASCII text and escapes lone surrogates, so every line is valid UTF-8 JSON', () => {
    const line = encodeRecord({ id: 1, name: '«ünïcødé» \ud800' }, SCHEMA);
    expect(line).toContain('«ünïcødé» \\ud800');
    expect(JSON.parse(line).name).toBe('«ünïcødé» \ud800');
  });

  test('normalises a timestamp string with an offset to UTC', () => {
    const line = encodeRecord({ id: 1, addedAt: '2026-01-01T09:00:00+09:00' }, SCHEMA);
    expect(JSON.parse(line).addedAt).toBe('2026-01-01T00:00:00.000+00:00');
  });

  test.each([
    [
      'a fractional integer (Embulk would fail the whole run)',
      { id: 1.5 },
      'id: must be a safe integer, got number 1.5',
    ],
    ['an integer as a string', { id: '7' }, 'id: must be a safe integer, got string "7"'],
    ['an unsafe integer', { id: 2 ** 60 }, 'id: must be a safe integer, got number 1152921504606847000'],
    ['NaN as a number', { id: 1, price: Number.NaN }, 'price: must be a finite number, got number NaN'],
    ['yes as a boolean', { id: 1, available: 'yes' }, 'available: must be true or false, got string "yes"'],
    ['a bad date', { id: 1, addedAt: 'soon' }, 'addedAt: must be a Date or a date string, got string "soon"'],
    ['a missing required value', { name: 'x' }, 'id: is required but has no value'],
    ['a key that is not a field', { id: 1, colour: 'red' }, 'colour: is not a field of the spec'],
    ['a single value for an all field', { id: 1, tags: 'a' }, 'tags: must be an array (all: true)'],
    [
      'a bad element of an all field',
      { id: 1, tags: ['a', 2] },
      'tags: must be a string in every element, got number 2',
    ],
  ])('refuses %s', (_, record, message) => {
    let thrown: unknown;
    try {
      encodeRecord(record, SCHEMA);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RecordInvalidError);
    expect((thrown as RecordInvalidError).code).toBe('RECORD_INVALID');
    expect((thrown as Error).message).toBe(message);
  });
});
