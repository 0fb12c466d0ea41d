/** Neither the node nor the hub accepted the drain (wrong secret, wrong URL…). Exit code 1. */
export class DrainRefusedError extends Error {
  readonly code = 'DRAIN_HOOK_DRAIN_REFUSED';
}
