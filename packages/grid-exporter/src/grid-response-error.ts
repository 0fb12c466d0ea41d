/** The Grid's GraphQL answer as a whole is unusable (not JSON, no `data`, GraphQL errors). */
export class GridResponseError extends Error {
  readonly code = 'GRID_RESPONSE_INVALID';
  override readonly name = 'GridResponseError';
}
