import type { ScrapedRecord } from '../spec/job-spec.ts';
import type { SchemaColumn } from './manifest.ts';
import { RecordInvalidError } from './record-invalid-error.ts';

/**
 * One record → one JSON line (without the newline), keys in schema order, absent optional values as
 * null. Values are checked against their column so that nothing reaches Embulk that would fail
 * its whole run (`1.5` in a long column) or be read wrong; timestamps are normalised to ISO 8601 UTC.
 */
export function encodeRecord(record: ScrapedRecord, schema: readonly SchemaColumn[]): string {
  const names = columnNames(schema);
  for (const key in record) {
    if (!names.has(key)) throw new RecordInvalidError(key, 'is not a field of the spec');
  }
  const out: Record<string, unknown> = {};
  for (const column of schema) {
    const value = record[column.name];
    if (value === undefined || value === null) {
      if (column.required) throw new RecordInvalidError(column.name, 'is required but has no value');
      out[column.name] = null;
    } else if (column.all) {
      if (!Array.isArray(value)) throw new RecordInvalidError(column.name, 'must be an array (all: true)');
      out[column.name] = value.map((element) => encodeValue(column, element));
    } else {
      out[column.name] = encodeValue(column, value);
    }
  }
  return JSON.stringify(out);
}

// --- internal ---

const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const namesBySchema = new WeakMap<readonly SchemaColumn[], Set<string>>();

/** The schema's column names as a set, computed once per schema (this runs for every record). */
function columnNames(schema: readonly SchemaColumn[]): Set<string> {
  let names = namesBySchema.get(schema);
  if (names === undefined) {
    names = new Set(schema.map((column) => column.name));
    namesBySchema.set(schema, names);
  }
  return names;
}

function encodeValue(column: SchemaColumn, value: unknown): unknown {
  switch (column.type) {
    case 'string':
    case 'url':
      if (typeof value === 'string') return value;
      break;
    case 'integer':
      if (Number.isSafeInteger(value)) return value;
      break;
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'timestamp': {
      // The scraper already gives UTC ISO strings: only the suffix changes (the common, fast path).
      if (typeof value === 'string' && UTC_ISO.test(value)) return `${value.slice(0, -1)}+00:00`;
      const time =
        value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (!Number.isNaN(time)) return `${new Date(time).toISOString().slice(0, -1)}+00:00`;
      break;
    }
    case 'json':
      if (
        value !== undefined &&
        typeof value !== 'function' &&
        typeof value !== 'symbol' &&
        typeof value !== 'bigint'
      ) {
        return value;
      }
      break;
  }
  throw new RecordInvalidError(column.name, `must be ${describe(column)}, got ${preview(value)}`);
}

function describe(column: SchemaColumn): string {
  const what = {
    string: 'a string',
    url: 'a string (URL)',
    integer: 'a safe integer',
    number: 'a finite number',
    boolean: 'true or false',
    timestamp: 'a Date or a date string',
    json: 'a JSON value',
  }[column.type];
  return column.all ? `${what} in every element` : what;
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}
