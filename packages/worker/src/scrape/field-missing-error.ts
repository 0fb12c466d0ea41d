/** A required field's selector matched nothing in an item of a page that loaded. */
export class FieldMissingError extends Error {
  readonly code = 'FIELD_MISSING';
}
