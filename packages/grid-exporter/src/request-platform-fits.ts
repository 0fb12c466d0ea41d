/**
 * Does a queued request's platformName fit a pool, the way the hub places a request on a node
 * (Selenium's DefaultSlotMatcher and Platform.is(), with the pool's platformName standing for its
 * nodes' stereotype)? Every row of the test was checked against Selenium 4.48's own classes.
 *
 * - A request without a platform, with `""` or `any` (any case), or with a name Selenium does not
 *   know fits every pool: the hub reads such a request as "any platform" (an unknown name is dropped,
 *   `""` parses as ANY). This is where KEDA's rule loses sessions: Selenium's Python and Java clients
 *   send no platformName, and KEDA matches that only to a trigger without one.
 * - Otherwise the pool's platform must be the request's or belong to its family: a `linux` pool
 *   takes `unix` requests, a `Windows 11` pool takes `windows`, a `macOS 14.0` pool takes `mac`;
 *   never the other way round, and two members of a family do not take each other's requests
 *   (KEDA matches `Windows 10` with `Windows 11` and `linux` with `bsd`; the hub does not).
 * - A pool without a platform (or one Selenium does not know) takes only requests that fit every
 *   pool. The hub would not place an explicit `any` on a stereotype without platformName, but a pool
 *   that names no platform says "do not care", and KEDA counts `any` there: kept.
 */
export function requestPlatformFits(poolPlatformName: string, requestPlatformName: string): boolean {
  const request = _platforms.get(requestPlatformName.toLowerCase());
  if (request === undefined || request === 'any') return true;
  for (let p = _platforms.get(poolPlatformName.toLowerCase()); p !== undefined; p = _family.get(p)) {
    if (p === request) return true;
  }
  return false;
}

// --- internal ---

// Selenium 4.48's Platform enum: canonical name, family, the names Platform.fromString() accepts
// (case-insensitive). `windows` is WINDOWS itself (its toString wins over XP's alias); `solaris` and
// `bsd` are UNIX itself, not members of its family; `""` is ANY.
const _TABLE: ReadonlyArray<readonly [name: string, family: string | undefined, names: readonly string[]]> = [
  ['windows', undefined, ['windows']],
  ['windows xp', 'windows', ['windows xp', 'windows server 2003', 'xp', 'winnt', 'windows_nt', 'windows nt']],
  ['windows vista', 'windows', ['windows vista', 'windows server 2008']],
  ['windows 7', 'windows', ['windows 7', 'win7']],
  ['windows 8', 'windows', ['windows 8', 'windows server 2012', 'win8']],
  ['windows 8.1', 'windows', ['windows 8.1', 'win8.1']],
  ['windows 10', 'windows', ['windows 10', 'win10']],
  ['windows 11', 'windows', ['windows 11', 'win11']],
  ['mac', undefined, ['mac', 'darwin', 'macos', 'mac os x', 'os x']],
  ..._macVersions(),
  ['unix', undefined, ['unix', 'solaris', 'bsd']],
  ['linux', 'unix', ['linux']],
  ['android', undefined, ['android', 'dalvik']],
  ['ios', undefined, ['ios']],
  ['any', undefined, ['any', '']],
];

function _macVersions(): Array<readonly [string, string, readonly string[]]> {
  const versions: Array<[version: string, codename: string]> = [
    ['10.6', 'snow leopard'],
    ['10.8', 'mountain lion'],
    ['10.9', 'mavericks'],
    ['10.10', 'yosemite'],
    ['10.11', 'el capitan'],
    ['10.12', 'sierra'],
    ['10.13', 'high sierra'],
    ['10.14', 'mojave'],
    ['10.15', 'catalina'],
    ['11.0', 'big sur'],
    ['12.0', 'monterey'],
    ['13.0', 'ventura'],
    ['14.0', 'sonoma'],
    ['15.0', 'sequoia'],
  ];
  return versions.map(
    ([v, codename]) => [`macos ${v}`, 'mac', [`os x ${v}`, `macos ${v}`, codename]] as const,
  );
}

const _platforms: ReadonlyMap<string, string> = new Map(
  _TABLE.flatMap(([name, , names]) => names.map((alias) => [alias, name] as const)),
);
const _family: ReadonlyMap<string, string> = new Map(
  _TABLE.flatMap(([name, family]) => (family === undefined ? [] : [[name, family] as const])),
);
