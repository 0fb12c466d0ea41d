/** The pools file (or GRID_EXPORTER_POOLS) is invalid; the message names the field. */
export class PoolConfigError extends Error {
  readonly code = 'POOL_CONFIG_INVALID';
  override readonly name = 'PoolConfigError';
}
