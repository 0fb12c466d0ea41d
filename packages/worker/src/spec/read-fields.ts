import type { FieldSpec, FieldType } from './job-spec.ts';
import { readInlineLocator } from './read-locator.ts';
import { readSelector } from './read-selector.ts';
import type { SpecNode } from './spec-node.ts';

export const FIELD_TYPES: readonly FieldType[] = [
  'string',
  'integer',
  'number',
  'boolean',
  'timestamp',
  'url',
  'json',
];

/** strftime-like directives a timestamp `format` may use: exactly those scrape/coerce-field-value.ts parses. */
export const TIMESTAMP_DIRECTIVES = [
  'Y',
  'y',
  'm',
  'd',
  'e',
  'H',
  'I',
  'M',
  'S',
  'L',
  'N',
  'p',
  'B',
  'b',
  'A',
  'a',
  'z',
  '%',
];

/**
 * The `fields:` mapping of items or detail: name → field. A field is a CSS selector string (text,
 * string, optional) or a mapping. Names become JSON keys and Embulk column names, hence the
 * identifier rule.
 */
export function readFields(node: SpecNode): Record<string, FieldSpec> | undefined {
  if (!node.require()) return undefined;
  const entries = node.entries();
  if (entries === undefined) return undefined;
  if (entries.length === 0) return node.issue('must name at least one field');
  const fields: Record<string, FieldSpec> = {};
  let ok = true;
  for (const [name, fieldNode] of entries) {
    if (!FIELD_NAME.test(name)) {
      fieldNode.issue('field names must match [A-Za-z_][A-Za-z0-9_]* (they become column names)');
      ok = false;
      continue;
    }
    const field = readField(fieldNode);
    if (field === undefined) ok = false;
    else fields[name] = field;
  }
  return ok ? fields : undefined;
}

// --- internal ---

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FIELD_KEYS = ['css', 'xpath', 'read', 'attribute', 'all', 'type', 'format', 'required'];

function readField(node: SpecNode): FieldSpec | undefined {
  if (node.missing) return node.issue('is empty; write a CSS selector or a mapping');
  if (node.isScalar) {
    const locator = readSelector(node, 'css');
    if (locator === undefined) return undefined;
    return { locator, read: { kind: 'text' }, all: false, type: 'string', required: false };
  }
  const keys = node.keys(FIELD_KEYS);
  if (keys === undefined) return undefined;
  const before = node.context.issues.length;
  const locator = readInlineLocator(node, keys);
  const read = readWhat(node);
  const all = node.get('all').boolean() ?? false;
  const type = node.get('type').oneOf(FIELD_TYPES) ?? 'string';
  const required = node.get('required').boolean() ?? false;
  const format = readFormat(node.get('format'), type);
  if (node.context.issues.length > before || read === undefined) return undefined;
  return {
    ...(locator === undefined ? {} : { locator }),
    read,
    all,
    type,
    ...(format === undefined ? {} : { format }),
    required,
  };
}

function readWhat(node: SpecNode): FieldSpec['read'] | undefined {
  const attributeNode = node.get('attribute');
  const readNode = node.get('read');
  const read = readNode.oneOf(['text', 'html', 'attribute']);
  if (readNode.missing === false && read === undefined) return undefined;
  if (!attributeNode.missing) {
    const name = attributeNode.string();
    if (name === undefined) return undefined;
    if (read !== undefined && read !== 'attribute') {
      return readNode.issue(`is ${read} but attribute is also given; remove one`);
    }
    return { kind: 'attribute', name };
  }
  if (read === 'attribute')
    return readNode.issue('is attribute: name the attribute with `attribute: <name>`');
  return { kind: read ?? 'text' };
}

function readFormat(node: SpecNode, type: FieldType): string | undefined {
  if (node.missing) return undefined;
  const format = node.string();
  if (format === undefined) return undefined;
  if (type !== 'timestamp') return node.issue('only applies to fields of type timestamp');
  if (['iso8601', 'epoch-seconds', 'epoch-millis'].includes(format)) return format;
  if (!format.includes('%')) {
    return node.issue('must be iso8601, epoch-seconds, epoch-millis or a pattern like %Y-%m-%d %H:%M');
  }
  for (const match of format.matchAll(/%(.?)/g)) {
    if (!TIMESTAMP_DIRECTIVES.includes(match[1] ?? '')) {
      return node.issue(
        `%${match[1] ?? ''} is not supported; use ${TIMESTAMP_DIRECTIVES.map((d) => `%${d}`).join(' ')}`,
      );
    }
  }
  return format;
}
