import { isDeepStrictEqual } from 'node:util';
import type { CapabilityView } from './capability-view.ts';
import { platformOf, platformsMatch } from './platform-of.ts';
import type { Pool } from './pool.ts';

/**
 * KEDA's matching rules for one pool (autoscaling.md, "Matching rules"), with one deliberate
 * difference: a pool with an empty browserVersion recognises node and session stereotypes whatever
 * version they advertise (KEDA defect d: such nodes are otherwise invisible and get scaled away).
 */
export interface PoolMatcher {
  /** Does a node's stereotype, or a session's slot stereotype, belong to this pool? */
  stereotype(candidate: CapabilityView): boolean;
  /** Does a queued request ask for this pool? (browserName only, exact KEDA version rule) */
  request(candidate: CapabilityView): boolean;
}

export function makePoolMatcher(pool: Pool): PoolMatcher {
  const browserName = pool.browserName.toLowerCase();
  const sessionBrowserName = pool.sessionBrowserName.toLowerCase();
  const platform = platformOf(pool.platformName);
  const downloads = pool.enableManagedDownloads || pool.capabilities['se:downloadsEnabled'] === true;
  const extra = Object.entries(pool.capabilities).filter(([key]) => _isComparedCapability(key));

  const common = (c: CapabilityView): boolean =>
    platformsMatch(platform, c.platform) &&
    // A candidate that needs managed downloads only fits a pool whose nodes have them.
    (!c.downloadsEnabled || downloads) &&
    extra.every(([key, value]) => Object.hasOwn(c.raw, key) && isDeepStrictEqual(c.raw[key], value));

  return {
    stereotype: (c) =>
      (c.browserName === browserName || c.browserName === sessionBrowserName) &&
      (pool.browserVersion === '' || _versionMatches(pool.browserVersion, c.browserVersion)) &&
      common(c),
    request: (c) =>
      c.browserName === browserName && _versionMatches(pool.browserVersion, c.browserVersion) && common(c),
  };
}

// --- internal ---

// KEDA: the configured version must start with the candidate's (`91` fits a pool at `91.0`); an
// empty candidate version fits only an empty pool version and vice versa.
function _versionMatches(poolVersion: string, candidateVersion: string): boolean {
  if (candidateVersion === '') return poolVersion === '';
  return poolVersion.startsWith(candidateVersion);
}

// Vendor extension capabilities are the browser's business, not the pool's; `se:downloadsEnabled`
// is handled on its own above. Same prefixes as Selenium's DefaultSlotMatcher and KEDA.
function _isComparedCapability(key: string): boolean {
  if (key === 'se:downloadsEnabled') return false;
  return !['goog:', 'moz:', 'ms:', 'se:'].some((prefix) => key.startsWith(prefix));
}
