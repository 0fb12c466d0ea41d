/** An action's selector matched nothing on a page that loaded, however long it was waited for. */
export class SelectorMatchedNothingError extends Error {
  readonly code = 'SELECTOR_MATCHED_NOTHING';
}
