import type { Locator } from './job-spec.ts';
import type { SpecNode } from './spec-node.ts';

/**
 * A locator is written as a CSS selector string, or as `{css: …}` / `{xpath: …}`.
 * Returns undefined (with an issue recorded) when it is wrong, and also when it is absent.
 */
export function readLocator(node: SpecNode): Locator | undefined {
  if (node.missing) return undefined;
  if (node.isScalar) {
    const css = node.string();
    return css === undefined ? undefined : { css };
  }
  const keys = node.keys(['css', 'xpath']);
  if (keys === undefined) return undefined;
  return readInlineLocator(node, keys) ?? node.issue('must have css or xpath');
}

/** The `css:` or `xpath:` key written directly in a mapping that has other keys (fields). */
export function readInlineLocator(node: SpecNode, presentKeys: readonly string[]): Locator | undefined {
  const hasCss = presentKeys.includes('css');
  const hasXpath = presentKeys.includes('xpath');
  if (hasCss && hasXpath) return node.issue('has both css and xpath; give one');
  if (hasCss) {
    const css = node.get('css').string();
    return css === undefined ? undefined : { css };
  }
  if (hasXpath) {
    const xpath = node.get('xpath').string();
    return xpath === undefined ? undefined : { xpath };
  }
  return undefined;
}
