/** Why a poll of the Grid failed; `reason` is the label of selenium_grid_poll_errors_total. */
export type GridPollFailure = 'unreachable' | 'timeout' | 'http_status' | 'invalid_response';

export class GridPollError extends Error {
  readonly code = 'GRID_POLL_FAILED';
  override readonly name = 'GridPollError';
  readonly reason: GridPollFailure;

  constructor(reason: GridPollFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}
