/** One entry of the Grid's answer (a node, a stereotype, a session, a queued request) cannot be read. */
export class MalformedEntryError extends Error {
  readonly code = 'MALFORMED_ENTRY';
  override readonly name = 'MalformedEntryError';
}
