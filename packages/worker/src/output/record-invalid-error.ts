/**
 * A record does not match the spec's fields (a value of the wrong type, a missing required field,
 * a key that is not a field). The writer refuses it rather than let Embulk fail the whole load on
 * it, or drop it silently: the caller counts it against the page it came from.
 */
export class RecordInvalidError extends Error {
  readonly code = 'RECORD_INVALID';
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'RecordInvalidError';
    this.field = field;
  }
}
