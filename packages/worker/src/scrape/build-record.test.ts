import { describe, expect, test } from 'vitest';
import type { FieldSpec } from '../spec/job-spec.ts';
import { buildRecord, RecordError } from './build-record.ts';

const f = (type: FieldSpec['type'], extra: Partial<FieldSpec> = {}): FieldSpec => ({
  read: { kind: 'text' },
  all: false,
  type,
  required: false,
  ...extra,
});
const fields = {
  id: f('integer', { required: true }),
  tags: f('string', { all: true }),
  price: f('number'),
  link: f('url'),
};

describe('buildRecord', () => {
  test('types each field; all fields are arrays; a missing optional field is null', () => {
    expect(
      buildRecord({ id: '7', tags: ['a', 'b'], price: null, link: '/p/7' }, fields, 'http://s.test/x'),
    ).toEqual({
      id: 7,
      tags: ['a', 'b'],
      price: null,
      link: 'http://s.test/p/7',
    });
  });

  test('an empty all field is an empty array; blank optional values are null', () => {
    expect(buildRecord({ id: '1', tags: [], price: '  ', link: null }, fields, 'http://s.test/')).toEqual({
      id: 1,
      tags: [],
      price: null,
      link: null,
    });
  });

  test.each([
    [{ id: null, tags: [] }, 'field id: required, but nothing matched'],
    [{ id: 'x', tags: [] }, 'field id: "x" is not an integer'],
    [{ id: '1', tags: [], price: 'free' }, 'field price: "free" is not a number'],
  ])('%j is refused: %s', (raw, message) => {
    expect(() => buildRecord(raw, fields, 'http://s.test/')).toThrow(RecordError);
    expect(() => buildRecord(raw, fields, 'http://s.test/')).toThrow(message);
  });
});
