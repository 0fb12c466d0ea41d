import type { FieldSpec, ScrapedRecord } from '../spec/job-spec.ts';
import { coerceFieldValue } from './coerce-field-value.ts';
import { FieldMissingError } from './field-missing-error.ts';
import type { RawValue } from './page-script.ts';

export class RecordError extends Error {
  readonly code = 'RECORD_INVALID';
}

/**
 * Types the raw values read for one item: `all` fields become arrays, a missing optional field is
 * null, and a missing required field or a value that does not fit its type throws RecordError
 * naming the field, caused by FieldMissingError or FieldValueError (the page then fails at once: the
 * page had loaded, and loading it again would read the same).
 */
export function buildRecord(
  raw: Record<string, RawValue>,
  fields: Record<string, FieldSpec>,
  pageUrl: string,
): ScrapedRecord {
  const record: ScrapedRecord = {};
  for (const [name, field] of Object.entries(fields)) {
    const value = raw[name] ?? null;
    try {
      if (field.all) {
        const values = (Array.isArray(value) ? value : value === null ? [] : [value]).map((v) =>
          coerceFieldValue(v, field, pageUrl),
        );
        if (field.required && values.length === 0)
          throw new FieldMissingError('required, but nothing matched');
        record[name] = values;
      } else {
        const one = Array.isArray(value) ? (value[0] ?? null) : value;
        if (one === null || (one.trim() === '' && field.type !== 'string')) {
          if (field.required) throw new FieldMissingError('required, but nothing matched');
          record[name] = null;
        } else {
          record[name] = coerceFieldValue(one, field, pageUrl);
        }
      }
    } catch (error) {
      throw new RecordError(`field ${name}: ${(error as Error).message}`, { cause: error });
    }
  }
  return record;
}
