import { createParser } from 'css-selector-parser';
import xpath from 'xpath';
import type { Locator } from './job-spec.ts';
import type { SpecNode } from './spec-node.ts';

/**
 * One selector string read as a locator of its kind and parsed with a real parser, so a broken
 * one is refused when the spec is read (`worker validate`, exit 2) rather than on the first page.
 * CSS is parsed as the newest selectors level with unknown pseudo-classes and pseudo-elements
 * accepted: Chromium takes `:has()`, `:is()`, `:not(a, b)`, `[a=b i]` and vendor pseudo-elements,
 * and a name the parser does not know must not refuse a selector the browser runs. XPath is XPath
 * 1.0, what browsers evaluate.
 */
export function readSelector(node: SpecNode, kind: keyof Locator): Locator | undefined {
  const text = node.string();
  if (text === undefined) return undefined;
  if (kind === 'css') {
    const problem = _cssProblem(text);
    return problem === undefined ? { css: text } : node.issue(`is not a valid CSS selector: ${problem}`);
  }
  const problem = _xpathProblem(text);
  return problem === undefined ? { xpath: text } : node.issue(`is not a valid XPath expression: ${problem}`);
}

// --- internal ---

const parseCss = createParser({ syntax: 'progressive', strict: true });
// xpath's own parser (what its evaluate uses), which its type declarations leave out.
const parseXpath = (xpath as unknown as { parse(expression: string): unknown }).parse;

function _cssProblem(text: string): string | undefined {
  try {
    parseCss(text);
    return undefined;
  } catch (error) {
    // "css-selector-parser parse error: Unexpected end of input. Pos: 17." → what, and where.
    const message = (error as Error).message.replace(/^css-selector-parser parse error:\s*/, '');
    const at = /^(.*?)\.?\s*Pos: (\d+)\.?$/.exec(message);
    return at ? `${_lower(at[1]!)} at character ${Number(at[2]) + 1}` : _lower(message);
  }
}

function _xpathProblem(text: string): string | undefined {
  try {
    parseXpath(text);
    return undefined;
  } catch (error) {
    // Its messages are "XPath parse error" or quote the rest of the input, NUL included.
    return /^Unterminated string literal/.test((error as Error).message)
      ? 'a string literal is not closed'
      : 'it does not parse';
  }
}

function _lower(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
