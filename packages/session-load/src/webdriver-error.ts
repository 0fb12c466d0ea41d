export type WebDriverErrorCode =
  /** The remote end answered a W3C error (`w3cError` says which, e.g. `session not created`). */
  | 'WEBDRIVER_ERROR'
  /** No answer within the call's deadline. */
  | 'WEBDRIVER_TIMEOUT'
  /** No answer at all (refused, reset, DNS). */
  | 'WEBDRIVER_UNREACHABLE'
  /** An answer that is not W3C WebDriver JSON. */
  | 'WEBDRIVER_INVALID_RESPONSE'
  /** The browser answered, but not with the page the session asked for. */
  | 'WEBDRIVER_UNEXPECTED_PAGE';

/** The one error of the W3C client; callers branch on `code` (and `w3cError`), never the message. */
export class WebDriverError extends Error {
  override readonly name = 'WebDriverError';
  readonly code: WebDriverErrorCode;
  /** The W3C error code of a WEBDRIVER_ERROR answer. */
  readonly w3cError: string | undefined;
  readonly status: number | undefined;

  constructor(
    code: WebDriverErrorCode,
    message: string,
    options: { cause?: unknown; w3cError?: string; status?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.w3cError = options.w3cError;
    this.status = options.status;
  }
}
