/** Milliseconds as "12.3 s" for the bench tables; "-" for none. */
export function formatSeconds(ms: number | undefined, digits = 1): string {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(digits)} s`;
}
