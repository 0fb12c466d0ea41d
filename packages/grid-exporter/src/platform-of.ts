/**
 * A platform name reduced to Selenium's Platform enum: a canonical name and, for versioned
 * platforms, the family it belongs to. Two platforms match when their canonical names are equal
 * (case-insensitive) or when both belong to the same family. Bare family names (`windows`, `mac`,
 * `unix`) have no family themselves, so they match only themselves: that is KEDA's rule, which
 * users' triggers depend on.
 */
export interface Platform {
  readonly name: string;
  readonly family: string | undefined;
}

export function platformOf(input: string): Platform {
  const key = input.toLowerCase();
  return _PLATFORMS.get(key) ?? { name: key, family: undefined };
}

export function platformsMatch(a: Platform, b: Platform): boolean {
  if (a.name === b.name) return true;
  return a.family !== undefined && a.family === b.family;
}

// --- internal ---

// Aliases per canonical platform, as in Selenium's org.openqa.selenium.Platform.
const _TABLE: ReadonlyArray<readonly [name: string, family: string | undefined, aliases: readonly string[]]> =
  [
    ['windows', undefined, ['windows']],
    ['windows xp', 'windows', ['windows server 2003', 'xp', 'winnt', 'windows_nt', 'windows nt']],
    ['windows vista', 'windows', ['windows server 2008', 'windows vista']],
    ['windows 7', 'windows', ['windows 7', 'win7']],
    ['windows 8', 'windows', ['windows server 2012', 'windows 8', 'win8']],
    ['windows 8.1', 'windows', ['windows 8.1', 'win8.1']],
    ['windows 10', 'windows', ['windows 10', 'win10']],
    ['windows 11', 'windows', ['windows 11', 'win11']],
    ['mac', undefined, ['mac', 'darwin', 'macos', 'mac os x', 'os x']],
    ..._macVersions(),
    ['unix', undefined, ['unix']],
    ['linux', 'unix', ['linux']],
    ['bsd', 'unix', ['bsd']],
    ['solaris', 'unix', ['solaris']],
    ['android', undefined, ['android', 'dalvik']],
    ['ios', undefined, ['ios']],
    // Empty and `any` are one platform, and it matches only itself (KEDA's rule).
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

const _PLATFORMS: ReadonlyMap<string, Platform> = new Map(
  _TABLE.flatMap(([name, family, aliases]) => aliases.map((alias) => [alias, { name, family }] as const)),
);
