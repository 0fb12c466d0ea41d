import type { StartSpec } from './job-spec.ts';
import type { SpecNode } from './spec-node.ts';

/**
 * `start:` is a list of URLs (`urls:`) or a URL template with `{page}` and a page range
 * (`template:` + `pages: {from, to}`). Only http and https are fetched: a `file:` or `javascript:`
 * URL in a spec would let it read the worker's own files through the browser.
 */
export function readStart(node: SpecNode): StartSpec | undefined {
  if (!node.require()) return undefined;
  const keys = node.keys(['urls', 'template', 'pages']);
  if (keys === undefined) return undefined;
  const hasUrls = keys.includes('urls');
  const hasTemplate = keys.includes('template');
  if (hasUrls === hasTemplate) return node.issue('must have either urls or template (with pages)');
  if (hasUrls) {
    if (keys.includes('pages')) node.get('pages').issue('only goes with template');
    const items = node.get('urls').items();
    if (items === undefined) return undefined;
    if (items.length === 0) return node.get('urls').issue('must list at least one URL');
    const urls = items.map((item) => checkHttpUrl(item, item.string()));
    return urls.every((url) => url !== undefined) ? { kind: 'urls', urls } : undefined;
  }
  const templateNode = node.get('template');
  const template = templateNode.string();
  const pagesNode = node.get('pages');
  const pageKeys = pagesNode.require() ? pagesNode.keys(['from', 'to']) : undefined;
  const from =
    pageKeys && (pagesNode.get('from').require() ? pagesNode.get('from').integer({ min: 0 }) : undefined);
  const to =
    pageKeys && (pagesNode.get('to').require() ? pagesNode.get('to').integer({ min: 0 }) : undefined);
  if (template === undefined) return undefined;
  if (!template.includes('{page}')) return templateNode.issue('must contain {page}');
  if (checkHttpUrl(templateNode, template.replaceAll('{page}', '1')) === undefined) return undefined;
  if (from === undefined || to === undefined) return undefined;
  if (to < from) return pagesNode.get('to').issue(`must be at least pages.from (${from})`);
  return { kind: 'template', template, from, to };
}

/** Returns the URL when it parses and is http or https; records an issue otherwise. */
export function checkHttpUrl(node: SpecNode, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return node.issue('must be an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return node.issue(`must be an http or https URL, not ${url.protocol}`);
  }
  return value;
}
