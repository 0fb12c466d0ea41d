import { ConfigError } from '@scrapegrid/program-kit';
import { parse as parseYaml } from 'yaml';
import type { Pool, PoolKubernetes } from './pool.ts';

/**
 * Reads a pools document: a YAML (or JSON) list of pools with KEDA's trigger field names. Every
 * problem names its field (`pools[1].nodeMaxSessions: …`) so a bad ConfigMap fails at start with a
 * message that says what to fix, rather than exporting wrong numbers.
 */
export function parsePools(text: string, source: string): readonly Pool[] {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (cause) {
    throw new ConfigError(`${source}: not valid YAML: ${(cause as Error).message}`, { cause });
  }
  if (document === null || document === undefined) return [];
  if (!Array.isArray(document)) throw new ConfigError(`${source}: must be a list of pools`);
  const pools = document.map((raw, i) => _readPool(raw, `${source}: pools[${i}]`));
  const seen = new Set<string>();
  pools.forEach((pool, i) => {
    if (seen.has(pool.name))
      throw new ConfigError(`${source}: pools[${i}].name: "${pool.name}" is used twice`);
    seen.add(pool.name);
  });
  return Object.freeze(pools);
}

// --- internal ---

const _FIELDS = new Set([
  'name',
  'browserName',
  'sessionBrowserName',
  'browserVersion',
  'platformName',
  'nodeMaxSessions',
  'capabilities',
  'enableManagedDownloads',
  'idleNodes',
  'kubernetes',
]);

// Pool names appear in URLs (/pools/<name>) and label values.
const _NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function _readPool(raw: unknown, at: string): Pool {
  if (!_isRecord(raw)) throw new ConfigError(`${at}: must be a mapping of pool fields`);
  for (const key of Object.keys(raw)) {
    if (!_FIELDS.has(key))
      throw new ConfigError(`${at}.${key}: unknown field (known: ${[..._FIELDS].join(', ')})`);
  }
  const name = _string(raw, 'name', at, undefined);
  if (!_NAME.test(name)) throw new ConfigError(`${at}.name: must match ${_NAME} (got "${name}")`);
  const browserName = _string(raw, 'browserName', at, '');
  return Object.freeze({
    name,
    browserName,
    sessionBrowserName: _string(raw, 'sessionBrowserName', at, '') || browserName,
    browserVersion: _string(raw, 'browserVersion', at, ''),
    platformName: _string(raw, 'platformName', at, ''),
    nodeMaxSessions: _integer(raw, 'nodeMaxSessions', at, 1, 1),
    capabilities: _capabilities(raw.capabilities, `${at}.capabilities`),
    enableManagedDownloads: _boolean(raw, 'enableManagedDownloads', at, true),
    idleNodes: _integer(raw, 'idleNodes', at, 0, 0),
    kubernetes: _kubernetes(raw.kubernetes, `${at}.kubernetes`),
  });
}

function _string(
  raw: Record<string, unknown>,
  key: string,
  at: string,
  fallback: string | undefined,
): string {
  const value = raw[key];
  if (value === undefined || value === null) {
    if (fallback === undefined) throw new ConfigError(`${at}.${key}: required`);
    return fallback;
  }
  if (typeof value !== 'string') {
    // YAML reads `browserVersion: 91.0` as the number 91: say how to keep the text.
    throw new ConfigError(`${at}.${key}: must be a string (got ${JSON.stringify(value)}; quote it in YAML)`);
  }
  return value;
}

function _integer(
  raw: Record<string, unknown>,
  key: string,
  at: string,
  fallback: number,
  min: number,
): number {
  const value = raw[key] ?? fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
    throw new ConfigError(`${at}.${key}: must be an integer ≥ ${min} (got ${JSON.stringify(value)})`);
  }
  return n;
}

function _boolean(raw: Record<string, unknown>, key: string, at: string, fallback: boolean): boolean {
  const value = raw[key] ?? fallback;
  // KEDA's trigger metadata is all strings; accept its spelling too.
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (typeof value !== 'boolean')
    throw new ConfigError(`${at}.${key}: must be true or false (got ${JSON.stringify(value)})`);
  return value;
}

function _capabilities(value: unknown, at: string): Readonly<Record<string, unknown>> {
  if (value === undefined || value === null) return Object.freeze({});
  let caps = value;
  if (typeof value === 'string') {
    // KEDA takes capabilities as a JSON string; accept that form as well as a YAML mapping.
    try {
      caps = JSON.parse(value);
    } catch (cause) {
      throw new ConfigError(`${at}: not valid JSON: ${(cause as Error).message}`, { cause });
    }
  }
  if (!_isRecord(caps)) throw new ConfigError(`${at}: must be a mapping of capability names to values`);
  const downloads = caps['se:downloadsEnabled'];
  if (downloads !== undefined && typeof downloads !== 'boolean') {
    throw new ConfigError(`${at}.se:downloadsEnabled: must be true or false`);
  }
  return Object.freeze({ ...caps });
}

function _kubernetes(value: unknown, at: string): PoolKubernetes | undefined {
  if (value === undefined || value === null) return undefined;
  if (!_isRecord(value)) throw new ConfigError(`${at}: must be a mapping with namespace and podSelector`);
  for (const key of Object.keys(value)) {
    if (key !== 'namespace' && key !== 'podSelector') throw new ConfigError(`${at}.${key}: unknown field`);
  }
  const namespace = _string(value, 'namespace', at, undefined);
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
    throw new ConfigError(`${at}.namespace: not a valid namespace name (got "${namespace}")`);
  }
  const podSelector = _string(value, 'podSelector', at, undefined).trim();
  if (podSelector === '') throw new ConfigError(`${at}.podSelector: must not be empty`);
  return Object.freeze({ namespace, podSelector });
}

function _isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
