import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { SpecIssue } from './spec-error.ts';

/** What every SpecNode of one document shares: where the lines are and where problems go. */
export interface SpecContext {
  readonly document: Document;
  readonly lineCounter: LineCounter;
  readonly issues: SpecIssue[];
}

/**
 * A cursor on one value of the YAML document, with its dotted path and line. Readers return
 * undefined and record an issue when the value is wrong, so parsing goes on and reports every
 * problem at once. A missing value is a SpecNode without a node, placed at its parent's line.
 */
export class SpecNode {
  readonly context: SpecContext;
  readonly node: Node | undefined;
  readonly path: string;
  readonly line: number | undefined;

  constructor(context: SpecContext, node: unknown, path: string, fallbackLine?: number) {
    this.context = context;
    const resolved = isAlias(node) ? node.resolve(context.document) : node;
    this.node = resolved === null || resolved === undefined ? undefined : (resolved as Node);
    this.path = path;
    this.line = lineOf(context, this.node) ?? fallbackLine;
  }

  /** Absent, or written as an explicit null (`key:` with nothing after it). */
  get missing(): boolean {
    return this.node === undefined || (isScalar(this.node) && this.node.value === null);
  }

  get isMap(): boolean {
    return isMap(this.node);
  }

  get isSeq(): boolean {
    return isSeq(this.node);
  }

  get isScalar(): boolean {
    return isScalar(this.node) && this.node.value !== null;
  }

  issue(message: string, line = this.line): undefined {
    this.context.issues.push({ path: this.path, ...(line === undefined ? {} : { line }), message });
    return undefined;
  }

  /** Reports a missing required value; true when present. */
  require(): boolean {
    if (!this.missing) return true;
    this.issue('is required');
    return false;
  }

  /** The child at `key`; reports any key of this map not in `allowed`. Call keys() once per map. */
  keys(allowed: readonly string[]): string[] | undefined {
    if (this.missing) return undefined;
    if (!isMap(this.node)) return this.issue('must be a mapping (key: value)');
    const present: string[] = [];
    for (const pair of this.node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const keyLine = lineOf(this.context, pair.key as Node) ?? this.line;
      if (!allowed.includes(key)) {
        this.context.issues.push({
          path: this.childPath(key),
          ...(keyLine === undefined ? {} : { line: keyLine }),
          message: `unknown key; expected one of ${allowed.join(', ')}`,
        });
      } else {
        present.push(key);
      }
    }
    return present;
  }

  /** Every key of a mapping whose keys are names the user chooses (fields, out: settings). */
  entries(): [string, SpecNode][] | undefined {
    if (this.missing) return undefined;
    if (!isMap(this.node)) return this.issue('must be a mapping (key: value)');
    return this.node.items.map((pair) => {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const keyLine = lineOf(this.context, pair.key as Node) ?? this.line;
      return [key, new SpecNode(this.context, pair.value, this.childPath(key), keyLine)];
    });
  }

  get(key: string): SpecNode {
    const value = isMap(this.node) ? this.node.get(key, true) : undefined;
    return new SpecNode(this.context, value, this.childPath(key), this.line);
  }

  items(): SpecNode[] | undefined {
    if (this.missing) return undefined;
    if (!isSeq(this.node)) return this.issue('must be a list');
    return this.node.items.map(
      (item, i) => new SpecNode(this.context, item, `${this.path}[${i}]`, this.line),
    );
  }

  /** The raw scalar value, undefined when missing. */
  get scalar(): unknown {
    return isScalar(this.node) ? this.node.value : undefined;
  }

  string(options: { nonEmpty?: boolean } = { nonEmpty: true }): string | undefined {
    if (this.missing) return undefined;
    const value = this.scalar;
    if (typeof value !== 'string') return this.issue('must be a string');
    if (options.nonEmpty !== false && value.trim() === '') return this.issue('must not be empty');
    if (value.includes('${env:')) {
      // Only Embulk's destination gets env substitution: anywhere else a secret would end up in the
      // spec's values, where it could be logged or typed into the wrong page.
      return this.issue(`${ENV_REF_TEXT}…} is only resolved inside embulk.out and embulk.extra`);
    }
    return value;
  }

  integer(range: { min?: number; max?: number } = {}): number | undefined {
    if (this.missing) return undefined;
    const value = this.scalar;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return this.issue('must be an integer');
    return this.inRange(value, range);
  }

  number(range: { min?: number; max?: number } = {}): number | undefined {
    if (this.missing) return undefined;
    const value = this.scalar;
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.issue('must be a number');
    return this.inRange(value, range);
  }

  boolean(): boolean | undefined {
    if (this.missing) return undefined;
    const value = this.scalar;
    if (typeof value !== 'boolean') return this.issue('must be true or false');
    return value;
  }

  oneOf<T extends string>(values: readonly T[]): T | undefined {
    if (this.missing) return undefined;
    const value = this.scalar;
    if (typeof value !== 'string' || !values.includes(value as T)) {
      return this.issue(`must be one of ${values.join(', ')}`);
    }
    return value as T;
  }

  /** The value as plain JavaScript (for pass-through settings). */
  toJS(): unknown {
    if (this.node === undefined) return undefined;
    return this.node.toJS(this.context.document);
  }

  childPath(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  // --- internal ---

  private inRange(value: number, { min, max }: { min?: number; max?: number }): number | undefined {
    if (min !== undefined && value < min) return this.issue(`must be at least ${min}`);
    if (max !== undefined && value > max) return this.issue(`must be at most ${max}`);
    return value;
  }
}

// --- internal ---

const ENV_REF_TEXT = '$' + '{env:';

function lineOf(context: SpecContext, node: Node | undefined): number | undefined {
  const offset = node?.range?.[0];
  return offset === undefined ? undefined : context.lineCounter.linePos(offset).line;
}
