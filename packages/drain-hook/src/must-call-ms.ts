/**
 * The least time given to the calls that must happen once (find the node, request the drain),
 * even when the deadline is already past: only the waiting is cut short by the deadline.
 */
export const MUST_CALL_MS = 1_000;
