import type { FieldSpec, JobSpec } from '../spec/job-spec.ts';
import type { SchemaColumn } from './manifest.ts';

/**
 * How timestamps are written in the JSON Lines, whatever format the page had: ISO 8601 in UTC with
 * milliseconds and a numeric offset. Both the record writer and the Embulk config use it, so
 * Embulk's strptime-style parser always agrees with the files (a numeric `+00:00` rather than `Z`,
 * which every strptime `%z` reads).
 */
export const TIMESTAMP_JSON_FORMAT = '%Y-%m-%dT%H:%M:%S.%N%z';

/** The record's columns in order: the item's fields, then the detail page's. */
export function recordSchema(spec: JobSpec): SchemaColumn[] {
  return [
    ...columns(spec.items.fields, 'item'),
    ...(spec.detail === undefined ? [] : columns(spec.detail.fields, 'detail')),
  ];
}

// --- internal ---

function columns(fields: Record<string, FieldSpec>, from: SchemaColumn['from']): SchemaColumn[] {
  return Object.entries(fields).map(([name, field]) => ({
    name,
    type: field.type,
    all: field.all,
    required: field.required,
    from,
    ...(field.type === 'timestamp' ? { format: TIMESTAMP_JSON_FORMAT } : {}),
  }));
}
