import type { FieldSpec } from '../spec/job-spec.ts';

export class FieldValueError extends Error {
  readonly code = 'FIELD_VALUE_INVALID';
}

/**
 * Turns one raw string read from the page into the field's type. Timestamps become ISO 8601 in
 * UTC with milliseconds (`2026-01-01T01:00:00.000Z`) whatever the source format, so the Embulk
 * column needs one format only; urls are resolved against the page. Throws FieldValueError.
 */
export function coerceFieldValue(raw: string, field: FieldSpec, pageUrl: string): unknown {
  const text = raw.trim();
  switch (field.type) {
    case 'string':
      return raw;
    case 'integer': {
      const value = _number(text);
      if (!Number.isSafeInteger(value)) throw new FieldValueError(`"${_short(text)}" is not an integer`);
      return value;
    }
    case 'number': {
      const value = _number(text);
      if (!Number.isFinite(value)) throw new FieldValueError(`"${_short(text)}" is not a number`);
      return value;
    }
    case 'boolean': {
      const value = BOOLEANS[text.toLowerCase()];
      if (value === undefined) throw new FieldValueError(`"${_short(text)}" is not a boolean`);
      return value;
    }
    case 'timestamp':
      return _timestamp(text, field.format ?? 'iso8601').toISOString();
    case 'url':
      try {
        return new URL(text, pageUrl).href;
      } catch {
        throw new FieldValueError(`"${_short(text)}" is not a URL`);
      }
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new FieldValueError(`"${_short(text)}" is not JSON`);
      }
  }
}

// --- internal ---

const BOOLEANS: Record<string, boolean> = {
  true: true,
  yes: true,
  y: true,
  on: true,
  '1': true,
  false: false,
  no: false,
  n: false,
  off: false,
  '0': false,
};

/** Numbers as pages show them: "1,234.50", "$ 12", "12 €" (thousands commas, currency signs). */
function _number(text: string): number {
  // Only symbols are stripped around the number, never letters: "1e" stays invalid.
  const cleaned = text.replace(/[\s,]/g, '').replace(/^[^\d+\-.a-z]+|[^\d.a-z]+$/gi, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cleaned)) return Number.NaN;
  return Number(cleaned);
}

function _timestamp(text: string, format: string): Date {
  let date: Date;
  if (format === 'iso8601') date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  else if (format === 'epoch-seconds') date = new Date(_number(text) * 1000);
  else if (format === 'epoch-millis') date = new Date(_number(text));
  else date = _strptime(text, format);
  if (Number.isNaN(date.getTime()))
    throw new FieldValueError(`"${_short(text)}" is not a timestamp in format ${format}`);
  return date;
}

// Names are read in English (the C/POSIX locale's names, as strftime prints them), in any letter
// case; a page in another language needs a numeric format. Weekday names are checked to be names,
// then ignored: the date itself says which day it is.
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const _alternatives = (names: string[], full: boolean) =>
  names.map((n) => (full ? n : n.slice(0, 3))).join('|');

const DIRECTIVES: Record<string, string> = {
  Y: '(?<Y>\\d{4})',
  y: '(?<y>\\d{2})',
  m: '(?<m>\\d{1,2})',
  d: '(?<d>\\d{1,2})',
  e: '\\s?(?<d>\\d{1,2})',
  H: '(?<H>\\d{1,2})',
  M: '(?<M>\\d{2})',
  S: '(?<S>\\d{2})',
  L: '(?<f>\\d{3})',
  N: '(?<f>\\d+)',
  B: `(?<B>${_alternatives(MONTHS, true)})`,
  b: `(?<b>${_alternatives(MONTHS, false)})`,
  A: `(?:${_alternatives(WEEKDAYS, true)})`,
  a: `(?:${_alternatives(WEEKDAYS, false)})`,
  p: '(?<p>[AaPp][Mm])',
  I: '(?<H>\\d{1,2})',
  z: '(?<z>Z|[+-]\\d{2}:?\\d{2})',
  '%': '%',
};

/**
 * A strftime-style pattern (%Y %y %m %d %e %H %I %p %M %S %L %N %B %b %A %a %z); no zone means UTC.
 * %y is POSIX's: 69-99 are 1969-1999, 00-68 are 2000-2068.
 */
function _strptime(text: string, format: string): Date {
  let source = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '%' && i + 1 < format.length) {
      const directive = DIRECTIVES[format[++i]!];
      if (directive === undefined) return new Date(Number.NaN);
      source += directive;
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const groups = new RegExp(`^${source}$`, 'i').exec(text)?.groups;
  if (!groups) return new Date(Number.NaN);
  const name = (groups.B ?? groups.b)?.toLowerCase();
  const month = name ? MONTHS.findIndex((m) => m.startsWith(name)) : Number(groups.m ?? '1') - 1;
  const shortYear = groups.y === undefined ? undefined : Number(groups.y);
  if (shortYear !== undefined) groups.Y = String(shortYear >= 69 ? 1900 + shortYear : 2000 + shortYear);
  let hour = Number(groups.H ?? '0');
  if (groups.p) hour = (hour % 12) + (groups.p.toLowerCase() === 'pm' ? 12 : 0);
  const millis = Number((groups.f ?? '0').padEnd(3, '0').slice(0, 3));
  const [year, day, minute, second] = [
    groups.Y ?? '1970',
    groups.d ?? '1',
    groups.M ?? '0',
    groups.S ?? '0',
  ].map(Number) as [number, number, number, number];
  const utc = Date.UTC(year, month, day, hour, minute, second, millis);
  // Date.UTC rolls 13/2026 over into 2027: out-of-range parts are refused, not moved.
  const check = new Date(utc);
  if (
    month < 0 ||
    check.getUTCMonth() !== month ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return new Date(Number.NaN);
  return new Date(utc - _offsetMinutes(groups.z) * 60_000);
}

function _offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return digits.startsWith('-') ? -minutes : minutes;
}

function _short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
