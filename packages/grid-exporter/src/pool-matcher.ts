import { isDeepStrictEqual } from 'node:util';
import type { CapabilityView } from './capability-view.ts';
import { platformOf, platformsMatch } from './platform-of.ts';
import type { Pool } from './pool.ts';
import { requestPlatformFits } from './request-platform-fits.ts';
import { requestVersionFits } from './request-version-fits.ts';

/**
 * Which nodes, sessions and queued requests belong to one pool.
 * - Stereotypes (which Grid nodes are the pool's): KEDA's rules (autoscaling.md, "Matching rules"),
 *   except that a pool with an empty browserVersion recognises nodes whatever version they
 *   advertise (KEDA defect d: such nodes are otherwise invisible and get scaled away).
 * - Requests: what the hub would place on one of the pool's nodes (Selenium's DefaultSlotMatcher,
 *   the pool standing for its nodes' stereotype), so a request the hub can serve from the pool is
 *   never left uncounted. KEDA's request rule loses sessions where it is stricter than the hub.
 */
export interface PoolMatcher {
  /** Does a node's stereotype, or a session's slot stereotype, belong to this pool? */
  stereotype(candidate: CapabilityView): boolean;
  /** Would the hub place this queued request on one of the pool's nodes? */
  request(candidate: CapabilityView): boolean;
}

export function makePoolMatcher(pool: Pool): PoolMatcher {
  const browserName = pool.browserName.toLowerCase();
  const sessionBrowserName = pool.sessionBrowserName.toLowerCase();
  const platform = platformOf(pool.platformName);
  const downloads = pool.enableManagedDownloads || pool.capabilities['se:downloadsEnabled'] === true;
  const extra = Object.entries(pool.capabilities).filter(([key]) => _isComparedCapability(key));
  // A candidate that needs managed downloads only fits a pool whose nodes have them (hub and KEDA).
  const downloadsFit = (c: CapabilityView): boolean => !c.downloadsEnabled || downloads;

  return {
    stereotype: (c) =>
      (c.browserName === browserName || c.browserName === sessionBrowserName) &&
      (pool.browserVersion === '' || _kedaVersionMatches(pool.browserVersion, c.browserVersion)) &&
      platformsMatch(platform, c.platform) &&
      downloadsFit(c) &&
      extra.every(([key, value]) => Object.hasOwn(c.raw, key) && isDeepStrictEqual(c.raw[key], value)),
    request: (c) =>
      // The hub places an empty capability set nowhere.
      Object.keys(c.raw).length > 0 &&
      // Case-insensitive like KEDA, although the hub compares exactly: the pool's name is typed by a
      // person for nodes whose exact spelling it does not state; see the README.
      (c.browserName === '' || c.browserName === browserName) &&
      requestVersionFits(pool.browserVersion, c.browserVersion) &&
      requestPlatformFits(pool.platformName, c.platformName) &&
      downloadsFit(c) &&
      // The hub compares a stereotype's capability only when the request names it.
      extra.every(([key, value]) => !Object.hasOwn(c.raw, key) || _capabilityFits(value, c.raw[key])),
  };
}

// --- internal ---

// KEDA: the configured version must start with the candidate's (`91` fits a pool at `91.0`); an
// empty candidate version fits only an empty pool version and vice versa.
function _kedaVersionMatches(poolVersion: string, candidateVersion: string): boolean {
  if (candidateVersion === '') return poolVersion === '';
  return poolVersion.startsWith(candidateVersion);
}

// The hub: strings equal ignoring case, anything else equal; a null in the request asks nothing.
function _capabilityFits(poolValue: unknown, requestValue: unknown): boolean {
  if (requestValue === null) return true;
  if (typeof requestValue === 'string') return String(poolValue).toLowerCase() === requestValue.toLowerCase();
  return isDeepStrictEqual(poolValue, requestValue);
}

// Vendor extension capabilities are the browser's business, not the pool's; `se:downloadsEnabled`
// is handled on its own above. Same prefixes as Selenium's DefaultSlotMatcher and KEDA.
function _isComparedCapability(key: string): boolean {
  if (key === 'se:downloadsEnabled') return false;
  return !['goog:', 'moz:', 'ms:', 'se:'].some((prefix) => key.startsWith(prefix));
}
