import type { Locator } from './job-spec.ts';
import { readSelector } from './read-selector.ts';
import type { SpecNode } from './spec-node.ts';

/**
 * A locator is written as a CSS selector string, or as `{css: …}` / `{xpath: …}`; either is parsed.
 * Returns undefined (with an issue recorded) when it is wrong, and also when it is absent.
 */
export function readLocator(node: SpecNode): Locator | undefined {
  if (node.missing) return undefined;
  if (node.isScalar) return readSelector(node, 'css');
  const keys = node.keys(['css', 'xpath']);
  if (keys === undefined) return undefined;
  // A css or xpath that is there but wrong has its own issue; only a missing one is this one.
  if (!keys.includes('css') && !keys.includes('xpath')) return node.issue('must have css or xpath');
  return readInlineLocator(node, keys);
}

/** The `css:` or `xpath:` key written directly in a mapping that has other keys (fields). */
export function readInlineLocator(node: SpecNode, presentKeys: readonly string[]): Locator | undefined {
  const hasCss = presentKeys.includes('css');
  const hasXpath = presentKeys.includes('xpath');
  if (hasCss && hasXpath) return node.issue('has both css and xpath; give one');
  if (hasCss) return readSelector(node.get('css'), 'css');
  if (hasXpath) return readSelector(node.get('xpath'), 'xpath');
  return undefined;
}
