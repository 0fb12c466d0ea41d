import type { Locator, PageAction, WaitSpec } from './job-spec.ts';
import { readLocator } from './read-locator.ts';
import { refusePlaceholderValue } from './refuse-placeholder-value.ts';
import { SPEC_DEFAULTS } from './spec-defaults.ts';
import type { SpecNode } from './spec-node.ts';

/**
 * `actions:` is a list of one-key mappings run on each page before it is read:
 * `fill: <locator>` with `fromEnv: NAME`, `click: <locator>`, `wait: <ms> | {for, timeoutMs}`,
 * `scroll: {times, pauseMs, untilCount: {selector, count}}`.
 * A fill's variable must exist now, not halfway through the scrape, and not be a shipped placeholder.
 */
export function readActions(node: SpecNode, env: Readonly<Record<string, string | undefined>>): PageAction[] {
  const items = node.items();
  if (items === undefined) return [];
  const actions: PageAction[] = [];
  for (const item of items) {
    const action = readAction(item, env);
    if (action !== undefined) actions.push(action);
  }
  return actions;
}

/** `wait:` (page-level and detail-level): `{for: <locator>, timeoutMs}`, both optional. */
export function readWait(node: SpecNode): WaitSpec | undefined {
  if (node.missing) return { timeoutMs: SPEC_DEFAULTS.waitTimeoutMs };
  const keys = node.keys(['for', 'timeoutMs']);
  if (keys === undefined) return undefined;
  const forNode = node.get('for');
  const target = readLocator(forNode);
  const timeoutMs = node.get('timeoutMs').integer({ min: 1 }) ?? SPEC_DEFAULTS.waitTimeoutMs;
  if (!forNode.missing && target === undefined) return undefined;
  return { ...(target === undefined ? {} : { for: target }), timeoutMs };
}

// --- internal ---

const ACTION_KINDS = ['fill', 'click', 'wait', 'scroll'] as const;

function readAction(
  node: SpecNode,
  env: Readonly<Record<string, string | undefined>>,
): PageAction | undefined {
  if (!node.isMap) return node.issue(`must be a mapping with one of ${ACTION_KINDS.join(', ')}`);
  const keys = node.keys([...ACTION_KINDS, 'fromEnv']) ?? [];
  const kinds = ACTION_KINDS.filter((kind) => keys.includes(kind));
  if (kinds.length !== 1) return node.issue(`must have exactly one of ${ACTION_KINDS.join(', ')}`);
  const kind = kinds[0]!;
  if (kind !== 'fill' && keys.includes('fromEnv')) node.get('fromEnv').issue('only goes with fill');
  const value = node.get(kind);
  switch (kind) {
    case 'fill': {
      const target = required(value, readLocator(value));
      const fromEnvNode = node.get('fromEnv');
      if (!fromEnvNode.require()) return undefined;
      const fromEnv = fromEnvNode.string();
      if (fromEnv === undefined) return undefined;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(fromEnv))
        return fromEnvNode.issue('must be an environment variable name');
      const typed = env[fromEnv];
      if (typed === undefined) return fromEnvNode.issue(`environment variable ${fromEnv} is not set`);
      if (!refusePlaceholderValue(fromEnvNode, fromEnv, typed)) return undefined;
      return target && { kind: 'fill', target, fromEnv };
    }
    case 'click': {
      const target = required(value, readLocator(value));
      return target && { kind: 'click', target };
    }
    case 'wait': {
      if (value.isScalar) {
        const timeoutMs = value.integer({ min: 0 });
        return timeoutMs === undefined ? undefined : { kind: 'wait', timeoutMs };
      }
      const wait = readWait(value);
      return wait && { kind: 'wait', ...wait };
    }
    case 'scroll':
      return readScroll(value);
  }
}

function readScroll(node: SpecNode): PageAction | undefined {
  const defaults = SPEC_DEFAULTS.scroll;
  if (node.missing) return { kind: 'scroll', ...defaults };
  const keys = node.keys(['times', 'pauseMs', 'untilCount']);
  if (keys === undefined) return undefined;
  const times = node.get('times').integer({ min: 1 }) ?? defaults.times;
  const pauseMs = node.get('pauseMs').integer({ min: 0 }) ?? defaults.pauseMs;
  const untilNode = node.get('untilCount');
  if (untilNode.missing) return { kind: 'scroll', times, pauseMs };
  if (untilNode.keys(['selector', 'count']) === undefined) return undefined;
  const locator = required(untilNode.get('selector'), readLocator(untilNode.get('selector')));
  const countNode = untilNode.get('count');
  const count = countNode.require() ? countNode.integer({ min: 1 }) : undefined;
  if (locator === undefined || count === undefined) return undefined;
  return { kind: 'scroll', times, pauseMs, untilCount: { locator, count } };
}

function required(node: SpecNode, locator: Locator | undefined): Locator | undefined {
  if (node.missing) node.issue('is required');
  return locator;
}
