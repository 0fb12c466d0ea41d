/**
 * A TEST DOUBLE for Embulk v0.11, not Embulk. Real Embulk cannot be installed on the development
 * machines (the worker image installs the jar), so the worker's exec boundary is tested against this
 * stand-in, run as `node test/embulk-stand-in.ts run config.yml`. It does what the worker relies on:
 * - checks the config against the built-in file input and json parser options
 *   (shared/docs/embulk-and-sidecars.md): unknown options, column types, formats;
 * - reads the files as the file input would (every file under path_prefix, recursively; one task
 *   per file), as JSON Lines, converting each column to its type; a non-integer in a long column
 *   fails the whole run, an invalid record fails it under stop_on_invalid_record;
 * - logs in Embulk's format (`yyyy-MM-dd HH:mm:ss.SSS Z [LEVEL] (thread): message`) on stdout,
 *   ends with `Committed.` and `Next config diff: …`, exit 0; on failure prints `Error: …` on
 *   stderr and exits 1; a bad command line exits 255.
 * Controlled by env:
 *   EMBULK_STAND_IN_MODE   ok (default) | fail (exit 1 after the config is read) | hang (never ends)
 *                          | levels (one line at each level, then ok)
 *                          | fail-quoting-out (exit 1 with the out: settings in the error, as a
 *                            careless output plugin would print a connection URL)
 *   EMBULK_STAND_IN_IGNORE_SIGTERM=1  keep running on SIGTERM (tests the SIGKILL that follows)
 *   EMBULK_STAND_IN_ROWS_PATH         write the rows it read there, as JSON Lines, for the test to check
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

const env = process.env;
const args = process.argv.slice(2);

// --- internal ---

function main(): void {
  if (args.length !== 2 || args[0] !== 'run') {
    process.stderr.write('Usage: embulk run <config.yml>  (Embulk stand-in: only `run` is supported)\n');
    process.exit(255);
  }
  if (env.EMBULK_STAND_IN_IGNORE_SIGTERM === '1') {
    process.on('SIGTERM', () => log('WARN', 'main', 'SIGTERM received; ignoring it (stand-in told to)'));
  }
  log('INFO', 'main', 'Started Embulk v0.11.5 (stand-in)');
  const configPath = args[1]!;
  let config: Record<string, unknown>;
  try {
    config = asMap(parse(readFileSync(configPath, 'utf8')), 'config');
  } catch (error) {
    fail(`org.embulk.config.ConfigException: cannot read ${configPath}: ${(error as Error).message}`);
  }
  const mode = env.EMBULK_STAND_IN_MODE ?? 'ok';
  let columns: Column[];
  try {
    columns = checkConfig(config);
  } catch (error) {
    fail(`org.embulk.config.ConfigException: ${(error as Error).message}`);
  }
  if (mode === 'levels') {
    log('TRACE', 'main', 'a trace line');
    log('DEBUG', 'main', 'a debug line');
    log('WARN', '0001:transaction', 'a warn line');
    log('ERROR', '0001:transaction', 'an error line that is not fatal');
  }
  if (mode === 'fail') {
    log('ERROR', '0001:transaction', 'org.embulk.exec.PartialExecutionException: stand-in told to fail');
    // Embulk prints the stack trace under its ERROR line, outside the log format.
    process.stdout.write('\tat org.embulk.exec.BulkLoader.run(BulkLoader.java:1)\n');
    process.stdout.write('Caused by: java.lang.RuntimeException: stand-in told to fail\n');
    fail('org.embulk.exec.PartialExecutionException: java.lang.RuntimeException: stand-in told to fail');
  }
  if (mode === 'fail-quoting-out') {
    fail(`org.embulk.config.ConfigException: cannot connect with ${JSON.stringify(config.out)}`);
  }
  if (mode === 'hang') {
    log('INFO', '0001:transaction', 'running (stand-in told to hang)');
    setInterval(() => {}, 60_000);
    return;
  }
  const input = config.in as Record<string, unknown>;
  const parser = input.parser as Record<string, unknown>;
  const files = listFiles(String(input.path_prefix));
  log('INFO', '0001:transaction', `Listing local files at directory '${String(input.path_prefix)}'`);
  log('INFO', '0001:transaction', `{done: 0 / ${files.length}, running: 0}`);
  const rows: Record<string, unknown>[] = [];
  for (const file of files) {
    try {
      rows.push(...readFile(file, columns, parser.stop_on_invalid_record === true));
    } catch (error) {
      fail(
        `org.embulk.exec.PartialExecutionException: org.embulk.spi.DataException: ${(error as Error).message}`,
      );
    }
  }
  if (env.EMBULK_STAND_IN_ROWS_PATH) {
    writeFileSync(env.EMBULK_STAND_IN_ROWS_PATH, rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
  }
  log('INFO', '0001:transaction', `{done: ${files.length} / ${files.length}, running: 0}`);
  log('INFO', 'main', `${rows.length} rows loaded`);
  log('INFO', 'main', 'Committed.');
  log(
    'INFO',
    'main',
    `Next config diff: {"in":{"last_path":${JSON.stringify(files.at(-1) ?? null)}},"out":{}}`,
  );
  process.exit(0);
}

interface Column {
  name: string;
  type: 'boolean' | 'long' | 'double' | 'string' | 'timestamp' | 'json';
  format: string;
}

const TOP_LEVEL = ['in', 'out', 'exec', 'filters'];
const FILE_INPUT = ['type', 'path_prefix', 'parser', 'decoders', 'last_path', 'follow_symlinks'];
const JSON_PARSER = [
  'type',
  'stop_on_invalid_record',
  'invalid_string_escapes',
  'root',
  'flatten_json_array',
  'columns',
  'default_timezone',
  'default_timestamp_format',
  'default_date',
];
const COLUMN_KEYS = ['name', 'type', 'format', 'timezone', 'date', 'element_at'];
const COLUMN_TYPES = ['boolean', 'long', 'double', 'string', 'timestamp', 'json'];

function checkConfig(config: Record<string, unknown>): Column[] {
  onlyKeys(config, TOP_LEVEL, 'the config');
  const input = asMap(config.in, 'in');
  const out = asMap(config.out, 'out');
  if (typeof out.type !== 'string') throw new Error("out: 'type' is required");
  if (input.type !== 'file')
    throw new Error(`in.type: the stand-in only knows the file input, not ${String(input.type)}`);
  onlyKeys(input, FILE_INPUT, 'in');
  if (typeof input.path_prefix !== 'string' || input.path_prefix === '')
    throw new Error("in: 'path_prefix' is required");
  const parser = asMap(input.parser, 'in.parser');
  if (parser.type !== 'json')
    throw new Error(`in.parser.type: the stand-in only knows json, not ${String(parser.type)}`);
  onlyKeys(parser, JSON_PARSER, 'in.parser');
  for (const key of ['stop_on_invalid_record', 'flatten_json_array']) {
    if (parser[key] !== undefined && typeof parser[key] !== 'boolean')
      throw new Error(`in.parser.${key}: must be a boolean`);
  }
  const escapes = parser.invalid_string_escapes;
  if (escapes !== undefined && !['PASSTHROUGH', 'SKIP', 'UNESCAPE'].includes(String(escapes))) {
    throw new Error(
      `in.parser.invalid_string_escapes: must be PASSTHROUGH, SKIP or UNESCAPE, not ${String(escapes)}`,
    );
  }
  if (parser.default_timezone !== undefined && parser.default_timezone !== 'UTC') {
    throw new Error('in.parser.default_timezone: the stand-in only knows UTC');
  }
  const defaultFormat = String(parser.default_timestamp_format ?? '%Y-%m-%d %H:%M:%S.%N %z');
  if (parser.columns === undefined) return [{ name: 'record', type: 'json', format: '' }];
  if (!Array.isArray(parser.columns)) throw new Error('in.parser.columns: must be a list');
  const names = new Set<string>();
  return parser.columns.map((raw, i) => {
    const column = asMap(raw, `in.parser.columns[${i}]`);
    onlyKeys(column, COLUMN_KEYS, `in.parser.columns[${i}]`);
    if (typeof column.name !== 'string' || column.name === '')
      throw new Error(`in.parser.columns[${i}]: 'name' is required`);
    if (names.has(column.name)) throw new Error(`in.parser.columns: duplicate column name ${column.name}`);
    names.add(column.name);
    if (!COLUMN_TYPES.includes(String(column.type))) {
      throw new Error(`in.parser.columns[${i}].type: unknown type ${String(column.type)}`);
    }
    if (column.format !== undefined && column.type !== 'timestamp') {
      throw new Error(`in.parser.columns[${i}].format: only for timestamp columns`);
    }
    if (column.timezone !== undefined && column.timezone !== 'UTC') {
      throw new Error(`in.parser.columns[${i}].timezone: the stand-in only knows UTC`);
    }
    const format = String(column.format ?? defaultFormat);
    if (column.type === 'timestamp') strptime('', format, true);
    return { name: column.name, type: column.type as Column['type'], format };
  });
}

/** Every file whose path starts with the prefix; a prefix ending in / is a directory walked recursively. */
function listFiles(prefix: string): string[] {
  const dir = prefix.endsWith('/') ? prefix : dirname(prefix);
  const found: string[] = [];
  const walk = (path: string) => {
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (full.startsWith(prefix)) found.push(full);
    }
  };
  walk(dir);
  return found;
}

function readFile(path: string, columns: Column[], stopOnInvalid: boolean): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const message = `Invalid record at ${path}:${i + 1}: ${(error as Error).message}`;
      if (stopOnInvalid) throw new Error(message);
      log('WARN', `0001:task-0000`, `Skipped line ${path}:${i + 1} (${message})`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const message = `Invalid record at ${path}:${i + 1}: not a JSON object`;
      if (stopOnInvalid) throw new Error(message);
      return;
    }
    const record = value as Record<string, unknown>;
    const row: Record<string, unknown> = {};
    for (const column of columns) {
      row[column.name] =
        column.name === 'record' && columns.length === 1
          ? record
          : convert(record[column.name], column, `${path}:${i + 1}`);
    }
    rows.push(row);
  });
  return rows;
}

function convert(value: unknown, column: Column, where: string): unknown {
  if (value === undefined || value === null) return null;
  const bad = () =>
    new Error(`Invalid record at ${where}: column ${column.name} (${column.type}): ${JSON.stringify(value)}`);
  switch (column.type) {
    case 'long':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
      // Embulk's long conversion throws on 1.5: the whole run fails, whatever stop_on_invalid_record says.
      throw bad();
    case 'double':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        return Number(value);
      throw bad();
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw bad();
    case 'string':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'json':
      return value;
    case 'timestamp': {
      if (typeof value !== 'string') throw bad();
      const time = strptime(value, column.format, false);
      if (time === undefined) throw bad();
      return new Date(time).toISOString();
    }
  }
}

/**
 * The strptime subset Embulk formats use here: %Y %m %d %H %M %S %N %L %z %% and literals.
 * With checkOnly, validates the format itself (an unknown directive is a config error).
 */
function strptime(text: string, format: string, checkOnly: boolean): number | undefined {
  let pattern = '^';
  const parts: string[] = [];
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      pattern += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const d = format[++i];
    const piece: Record<string, string> = {
      Y: '(\\d{4})',
      m: '(\\d{2})',
      d: '(\\d{2})',
      H: '(\\d{2})',
      M: '(\\d{2})',
      S: '(\\d{2})',
      N: '(\\d+)',
      L: '(\\d+)',
      z: '(Z|[+-]\\d{2}:?\\d{2})',
    };
    if (d === '%') {
      pattern += '%';
    } else if (d !== undefined && piece[d] !== undefined) {
      pattern += piece[d];
      parts.push(d);
    } else {
      throw new Error(`timestamp format ${format}: %${d ?? ''} is not supported by the stand-in`);
    }
  }
  if (checkOnly) return undefined;
  const match = new RegExp(`${pattern}$`).exec(text);
  if (match === null) return undefined;
  const get = (d: string) => match[parts.indexOf(d) + 1];
  const fraction = get('N') ?? get('L') ?? '0';
  const zone = get('z') ?? 'Z';
  const iso = `${get('Y') ?? '1970'}-${get('m') ?? '01'}-${get('d') ?? '01'}T${get('H') ?? '00'}:${get('M') ?? '00'}:${get('S') ?? '00'}.${fraction.padEnd(3, '0').slice(0, 3)}${zone}`;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : time;
}

function onlyKeys(map: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(map)) {
    if (!allowed.includes(key))
      throw new Error(`${where}: unknown option '${key}' (expected ${allowed.join(', ')})`);
  }
}

function asMap(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${where}: must be a mapping`);
  return value as Record<string, unknown>;
}

function log(level: string, thread: string, message: string): void {
  const now = new Date();
  const stamp = `${now.toISOString().slice(0, 10)} ${now.toISOString().slice(11, 23)} +0000`;
  process.stdout.write(`${stamp} [${level}] (${thread}): ${message}\n`);
}

function fail(message: string): never {
  log('ERROR', 'main', message);
  process.stderr.write(`Error: ${message}\n`);
  process.exit(1);
}

// Last, so every constant above is initialised before it runs.
main();
