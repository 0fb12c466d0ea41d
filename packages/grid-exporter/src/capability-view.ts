import { MalformedEntryError } from './malformed-entry-error.ts';
import { type Platform, platformOf } from './platform-of.ts';

/**
 * A capability set (a node stereotype, a session's slot stereotype or a queued request) read once
 * into the few fields matching needs. Reading it up front is where malformed data is caught: KEDA
 * type-asserts these fields at match time and panics on a number or an object (defect f); here the
 * entry is rejected with a MalformedEntryError and the caller skips and counts it.
 */
export interface CapabilityView {
  /** Lower-cased; '' when absent. */
  readonly browserName: string;
  /** As given (prefix matching is case-sensitive, as in KEDA); '' when absent. */
  readonly browserVersion: string;
  readonly platform: Platform;
  /** As given; '' when absent (requests are matched on the name, the way the hub reads it). */
  readonly platformName: string;
  /** `se:downloadsEnabled`, false when absent. */
  readonly downloadsEnabled: boolean;
  readonly raw: Readonly<Record<string, unknown>>;
}

export function toCapabilityView(value: unknown): CapabilityView {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedEntryError('capabilities are not a JSON object');
  }
  const raw = value as Record<string, unknown>;
  const platformName = _optionalString(raw, 'platformName');
  return {
    browserName: _optionalString(raw, 'browserName').toLowerCase(),
    browserVersion: _optionalString(raw, 'browserVersion'),
    platform: platformOf(platformName),
    platformName,
    downloadsEnabled: _optionalBoolean(raw, 'se:downloadsEnabled'),
    raw,
  };
}

/** Parses a JSON string (the Grid sends capabilities as strings) and reads it. */
export function parseCapabilityView(json: unknown): CapabilityView {
  if (typeof json !== 'string') throw new MalformedEntryError('capabilities are not a JSON string');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (cause) {
    throw new MalformedEntryError('capabilities are not valid JSON', { cause });
  }
  return toCapabilityView(parsed);
}

// --- internal ---

function _optionalString(raw: Record<string, unknown>, key: string): string {
  const value = raw[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new MalformedEntryError(`${key} is a ${typeof value}, not a string`);
  return value;
}

function _optionalBoolean(raw: Record<string, unknown>, key: string): boolean {
  const value = raw[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new MalformedEntryError(`${key} is a ${typeof value}, not a boolean`);
  return value;
}
