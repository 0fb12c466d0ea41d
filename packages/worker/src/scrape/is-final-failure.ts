/**
 * True when a page failed in a way a retry cannot change: the page loaded, and what it holds does
 * not fit the spec (a value that does not parse in its declared type or format, a required field
 * or a click target that matches nothing). Such a page fails at once with its message instead of
 * being loaded again `limits.retries` times with backoff. Decided by the error's `code`, or a
 * cause's (RecordError wraps the field's error), never by message text.
 */
export function isFinalFailure(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (FINAL_CODES.has((e as { code?: unknown }).code)) return true;
  return false;
}

// --- internal ---

const FINAL_CODES: ReadonlySet<unknown> = new Set([
  'FIELD_VALUE_INVALID', // coerce-field-value.ts
  'FIELD_MISSING', // build-record.ts
  'SELECTOR_MATCHED_NOTHING', // click-like-a-person.ts
]);
