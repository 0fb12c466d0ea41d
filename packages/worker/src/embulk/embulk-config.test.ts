import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import type { SchemaColumn } from '../output/manifest.ts';
import type { FieldSpec, JobSpec } from '../spec/job-spec.ts';
import { buildEmbulkConfig, embulkColumn } from './embulk-config.ts';

function field(type: FieldSpec['type'], all = false): FieldSpec {
  return { read: { kind: 'text' }, all, type, required: false };
}

const SPEC = {
  name: 'config-test',
  items: {
    locator: { css: 'li' },
    fields: { id: field('integer'), url: field('url'), tags: field('string', true) },
  },
  detail: {
    urlField: 'url',
    wait: { timeoutMs: 1 },
    fields: { addedAt: field('timestamp'), specs: field('json') },
  },
  embulk: {
    out: { type: 'postgresql', host: 'db', password: 'from-a-secret', table: 'products', mode: 'insert' },
    extra: { exec: { max_threads: 4 }, filters: [{ type: 'rename', columns: { id: 'product_id' } }] },
  },
} as unknown as JobSpec;

describe('buildEmbulkConfig', () => {
  test('reads every part under the data dir with the json parser, typed columns, the user out: and extras', () => {
    const config = parse(buildEmbulkConfig(SPEC, '/tmp/scrapegrid/output/data'));
    expect(config).toEqual({
      in: {
        type: 'file',
        path_prefix: '/tmp/scrapegrid/output/data/',
        parser: {
          type: 'json',
          stop_on_invalid_record: true,
          default_timezone: 'UTC',
          columns: [
            { name: 'id', type: 'long' },
            { name: 'url', type: 'string' },
            { name: 'tags', type: 'json' },
            { name: 'addedAt', type: 'timestamp', format: '%Y-%m-%dT%H:%M:%S.%N%z', timezone: 'UTC' },
            { name: 'specs', type: 'json' },
          ],
        },
      },
      exec: { max_threads: 4 },
      filters: [{ type: 'rename', columns: { id: 'product_id' } }],
      out: { type: 'postgresql', host: 'db', password: 'from-a-secret', table: 'products', mode: 'insert' },
    });
  });

  test('the prefix has exactly one trailing slash, so Embulk walks the directory and nothing beside it', () => {
    expect(parse(buildEmbulkConfig(SPEC, '/data//')).in.path_prefix).toBe('/data/');
  });

  test('values that YAML would misread stay strings', () => {
    const spec = {
      ...SPEC,
      embulk: { out: { type: 'stdout', password: 'yes', port: '0123', note: '#: x' }, extra: {} },
    };
    expect(parse(buildEmbulkConfig(spec, '/d')).out).toEqual({
      type: 'stdout',
      password: 'yes',
      port: '0123',
      note: '#: x',
    });
  });

  test('refuses a spec without an embulk section', () => {
    expect(() => buildEmbulkConfig({ ...SPEC, embulk: undefined }, '/d')).toThrow(/no embulk section/);
  });

  test("a shard's run loads with pgcopy's replace_shard and the shard's index", () => {
    const pgcopy = { ...SPEC, embulk: { out: { type: 'pgcopy', table: 'products' }, extra: {} } } as JobSpec;
    expect(parse(buildEmbulkConfig(pgcopy, '/data', { index: 2, count: 4 })).out).toEqual({
      type: 'pgcopy',
      table: 'products',
      mode: 'replace_shard',
      shard: 2,
    });
    expect(() => buildEmbulkConfig(SPEC, '/data', { index: 0, count: 2 })).toThrow(
      expect.objectContaining({ code: 'SHARD_INVALID' }),
    );
  });
});

describe('embulkColumn maps each field type to the json parser column type', () => {
  const column = (type: SchemaColumn['type'], all = false): SchemaColumn => ({
    name: 'c',
    type,
    all,
    required: false,
    from: 'item',
    ...(type === 'timestamp' ? { format: '%Y-%m-%dT%H:%M:%S.%N%z' } : {}),
  });
  test.each([
    ['string', false, { name: 'c', type: 'string' }],
    ['url', false, { name: 'c', type: 'string' }],
    ['integer', false, { name: 'c', type: 'long' }],
    ['number', false, { name: 'c', type: 'double' }],
    ['boolean', false, { name: 'c', type: 'boolean' }],
    ['json', false, { name: 'c', type: 'json' }],
    ['timestamp', false, { name: 'c', type: 'timestamp', format: '%Y-%m-%dT%H:%M:%S.%N%z', timezone: 'UTC' }],
    ['integer', true, { name: 'c', type: 'json' }],
    ['timestamp', true, { name: 'c', type: 'json' }],
  ] as const)('%s (all: %s)', (type, all, expected) => {
    expect(embulkColumn(column(type, all))).toEqual(expected);
  });
});
