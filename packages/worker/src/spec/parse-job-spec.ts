import { resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { JOB_SPEC_VERSION, type JobSpec, type LimitsSpec, type OutputSpec } from './job-spec.ts';
import { readActions, readWait } from './read-actions.ts';
import { readBrowser } from './read-browser.ts';
import { readEmbulk } from './read-embulk.ts';
import { readFields } from './read-fields.ts';
import { readLocator } from './read-locator.ts';
import { readLogin } from './read-login.ts';
import { readPagination } from './read-pagination.ts';
import { readStart } from './read-start.ts';
import { SPEC_DEFAULTS } from './spec-defaults.ts';
import { SpecError, type SpecIssue } from './spec-error.ts';
import { type SpecContext, SpecNode } from './spec-node.ts';

export interface ParseJobSpecOptions {
  /** Variables for `fill.fromEnv` and `${env:NAME}` in embulk.out/extra; main.ts passes process.env. */
  env: Readonly<Record<string, string | undefined>>;
  /** Name used in messages (`job.yaml:12: …`); defaults to job.yaml. */
  sourceName?: string;
}

/**
 * YAML text → a validated JobSpec with every default filled in. Throws one SpecError listing every
 * problem found, each with its path and line, before any browser starts. docs/job-spec.md is the
 * reference for the format.
 */
export function parseJobSpec(yamlText: string, options: ParseJobSpecOptions): JobSpec {
  const sourceName = options.sourceName ?? 'job.yaml';
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: SpecIssue[] = [];
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      issues.push({
        path: '',
        line: lineCounter.linePos(error.pos[0]).line,
        message: firstLine(error.message),
      });
    }
    throw new SpecError(issues, sourceName);
  }
  const context: SpecContext = { document, lineCounter, issues };
  const root = new SpecNode(context, document.contents, '', 1);
  if (!root.isMap)
    throw new SpecError(
      [{ path: '', line: 1, message: 'must be a mapping with version, name, start, items…' }],
      sourceName,
    );
  const spec = readJobSpec(root, options.env);
  if (issues.length > 0 || spec === undefined) {
    throw new SpecError(issues.length > 0 ? issues : [{ path: '', message: 'is invalid' }], sourceName);
  }
  return spec;
}

// --- internal ---

const TOP_LEVEL_KEYS = [
  'version',
  'name',
  'start',
  'wait',
  'actions',
  'items',
  'pagination',
  'detail',
  'login',
  'robotsTxt',
  'limits',
  'browser',
  'output',
  'embulk',
];

function readJobSpec(root: SpecNode, env: ParseJobSpecOptions['env']): JobSpec | undefined {
  root.keys(TOP_LEVEL_KEYS);
  const versionNode = root.get('version');
  if (versionNode.require() && versionNode.scalar !== JOB_SPEC_VERSION) {
    versionNode.issue(`must be ${JOB_SPEC_VERSION} (the only version this worker reads)`);
  }
  const nameNode = root.get('name');
  const name = nameNode.require() ? nameNode.string() : undefined;
  if (name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    nameNode.issue('must be letters, digits, ".", "_" or "-" (it names files and metrics)');
  }
  const start = readStart(root.get('start'));
  const wait = readWait(root.get('wait'));
  const actions = readActions(root.get('actions'), env);
  const items = readItems(root.get('items'));
  const limits = readLimits(root.get('limits'));
  const pagination = readPagination(root.get('pagination'), limits);
  const detail = readDetail(root.get('detail'), items?.fields);
  const login = readLogin(root.get('login'), env);
  const robotsTxt = root.get('robotsTxt').oneOf(['obey', 'ignore'] as const) ?? SPEC_DEFAULTS.robotsTxt;
  const browser = readBrowser(root.get('browser'));
  const output = readOutput(root.get('output'));
  const embulk = readEmbulk(root.get('embulk'), env);
  if (
    name === undefined ||
    start === undefined ||
    wait === undefined ||
    items === undefined ||
    limits === undefined ||
    browser === undefined ||
    output === undefined
  ) {
    return undefined;
  }
  return {
    version: JOB_SPEC_VERSION,
    name,
    start,
    wait,
    actions,
    items,
    ...(pagination === undefined ? {} : { pagination }),
    ...(detail === undefined ? {} : { detail }),
    ...(login === undefined ? {} : { login }),
    robotsTxt,
    limits,
    browser,
    output,
    ...(embulk === undefined ? {} : { embulk }),
  };
}

function readItems(node: SpecNode): JobSpec['items'] | undefined {
  if (!node.require()) return undefined;
  if (node.keys(['selector', 'fields']) === undefined) return undefined;
  const selectorNode = node.get('selector');
  const locator = selectorNode.require() ? readLocator(selectorNode) : undefined;
  const fields = readFields(node.get('fields'));
  return locator && fields && { locator, fields };
}

function readDetail(node: SpecNode, itemFields: JobSpec['items']['fields'] | undefined): JobSpec['detail'] {
  if (node.missing) return undefined;
  if (node.keys(['urlField', 'wait', 'fields']) === undefined) return undefined;
  const urlNode = node.get('urlField');
  const urlField = urlNode.require() ? urlNode.string() : undefined;
  if (urlField !== undefined && itemFields !== undefined) {
    const field = itemFields[urlField];
    if (field === undefined)
      urlNode.issue(`must name a field of items.fields (${Object.keys(itemFields).join(', ')})`);
    else if (field.type !== 'url' || field.all)
      urlNode.issue(`items.fields.${urlField} must be a single value of type url`);
  }
  const wait = readWait(node.get('wait'));
  const fields = readFields(node.get('fields'));
  if (fields !== undefined && itemFields !== undefined) {
    for (const [name] of node.get('fields').entries() ?? []) {
      // Detail fields are joined into the item's record: the same name twice would overwrite one.
      if (name in itemFields) node.get('fields').get(name).issue('is also an item field; rename one');
    }
  }
  if (urlField === undefined || wait === undefined || fields === undefined) return undefined;
  return { urlField, wait, fields };
}

function readLimits(node: SpecNode): LimitsSpec | undefined {
  const d = SPEC_DEFAULTS.limits;
  if (node.missing) return { ...d, backoff: { ...d.backoff } };
  const keys = [
    'concurrency',
    'delayPerHostMs',
    'maxPages',
    'maxItems',
    'pageTimeoutMs',
    'retries',
    'backoff',
    'maxFailedPages',
    'minItems',
  ];
  if (node.keys(keys) === undefined) return undefined;
  const before = node.context.issues.length;
  const backoffNode = node.get('backoff');
  backoffNode.keys(['initialMs', 'maxMs', 'multiplier', 'jitter']);
  const backoff = {
    initialMs: backoffNode.get('initialMs').integer({ min: 0 }) ?? d.backoff.initialMs,
    maxMs: backoffNode.get('maxMs').integer({ min: 0 }) ?? d.backoff.maxMs,
    multiplier: backoffNode.get('multiplier').number({ min: 1 }) ?? d.backoff.multiplier,
    jitter: backoffNode.get('jitter').number({ min: 0, max: 1 }) ?? d.backoff.jitter,
  };
  if (backoff.maxMs < backoff.initialMs)
    backoffNode.get('maxMs').issue(`must be at least initialMs (${backoff.initialMs})`);
  const limits: LimitsSpec = {
    concurrency: node.get('concurrency').integer({ min: 1, max: 64 }) ?? d.concurrency,
    delayPerHostMs: node.get('delayPerHostMs').integer({ min: 0 }) ?? d.delayPerHostMs,
    maxPages: node.get('maxPages').integer({ min: 1 }) ?? d.maxPages,
    maxItems: node.get('maxItems').integer({ min: 1 }) ?? d.maxItems,
    pageTimeoutMs: node.get('pageTimeoutMs').integer({ min: 1 }) ?? d.pageTimeoutMs,
    retries: node.get('retries').integer({ min: 0, max: 20 }) ?? d.retries,
    backoff,
    maxFailedPages: node.get('maxFailedPages').integer({ min: 0 }) ?? d.maxFailedPages,
    minItems: node.get('minItems').integer({ min: 0 }) ?? d.minItems,
  };
  if (limits.minItems > limits.maxItems)
    node.get('minItems').issue(`must be at most maxItems (${limits.maxItems})`);
  return node.context.issues.length > before ? undefined : limits;
}

function readOutput(node: SpecNode): OutputSpec | undefined {
  const d = SPEC_DEFAULTS.output;
  if (node.missing) return { ...d };
  if (node.keys(['dir', 'partMaxBytes']) === undefined) return undefined;
  const dirNode = node.get('dir');
  const dir = dirNode.missing ? d.dir : dirNode.string();
  const partMaxBytes = readBytes(node.get('partMaxBytes')) ?? d.partMaxBytes;
  if (dir === undefined) return undefined;
  if (resolve(dir) === '/') return dirNode.issue('must not be /');
  return { dir: resolve(dir), partMaxBytes };
}

/** A byte size: an integer, or a string like 64MiB / 512KiB / 1GiB. */
function readBytes(node: SpecNode): number | undefined {
  if (node.missing) return undefined;
  const value = node.scalar;
  let bytes: number | undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) bytes = value;
  else if (typeof value === 'string') {
    const match = /^\s*(\d+)\s*(B|KiB|MiB|GiB)?\s*$/.exec(value);
    const unit = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[match?.[2] ?? 'B'] ?? 1;
    if (match) bytes = Number(match[1]) * unit;
  }
  if (bytes === undefined) return node.issue('must be a byte count: an integer or a size like 64MiB');
  if (bytes < 1024) return node.issue('must be at least 1KiB');
  return bytes;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
