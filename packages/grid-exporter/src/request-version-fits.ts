/**
 * Does a queued request's browserVersion fit a pool's, the way the hub places a request on a node
 * (Selenium's DefaultSlotMatcher and its SemanticVersionComparator, the pool's browserVersion
 * standing for its nodes' stereotype)? Every row of the test was checked against Selenium 4.48.
 *
 * - No version, `""` or `stable` fits every pool: the hub places such a request on any version.
 *   KEDA fits it only to a trigger without a version.
 * - A pool without a version takes no versioned request (the hub and KEDA agree).
 * - Otherwise each dot-separated part the request names must equal the pool's part at that place
 *   (numbers as numbers, words case-insensitively; a part the pool lacks is 0): `91` and `91.0`
 *   fit a `91.0` pool, `128` fits `128.0.6613.84`, `9` does not fit `91.0` (KEDA's prefix rule
 *   says it does), and `91.0` fits a `91` pool (KEDA says it does not).
 */
export function requestVersionFits(poolVersion: string, requestVersion: string): boolean {
  if (requestVersion === '' || requestVersion === 'stable') return true;
  if (poolVersion === '') return false;
  const pool = poolVersion.split('.');
  const request = requestVersion.split('.');
  for (let i = 0; i < Math.max(pool.length, request.length); i++) {
    const p = pool[i] ?? '0';
    if (!_partsEqual(p, request[i] ?? p)) return false;
  }
  return true;
}

// --- internal ---

function _partsEqual(a: string, b: string): boolean {
  const numeric = /^[0-9]+$/;
  const aNumber = numeric.test(a);
  if (aNumber !== numeric.test(b)) return false;
  if (aNumber) return BigInt(a) === BigInt(b);
  return a.toLowerCase() === b.toLowerCase();
}
