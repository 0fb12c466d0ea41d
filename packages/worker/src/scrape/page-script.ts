import type { FieldSpec, Locator } from '../spec/job-spec.ts';

/** What the page script is asked to do, in one WebDriver call. */
export interface PagePlan {
  /** Wait (inside the browser) until this element is present; fails the page after timeoutMs. */
  wait?: { for?: Locator; timeoutMs: number };
  /** Read these items (each item's fields relative to it)… */
  items?: { locator: Locator; fields: [string, Pick<FieldSpec, 'locator' | 'read' | 'all'>][] };
  /** …and/or these fields relative to the document (a detail page). */
  fields?: [string, Pick<FieldSpec, 'locator' | 'read' | 'all'>][];
  /** The next-page control whose href and state are returned. */
  next?: Locator;
  /** Return once this many elements match (scroll actions), rather than reading anything. */
  count?: Locator;
}

export interface NextControl {
  href: string | null;
  /** Disabled, aria-disabled, inside a `.disabled` element (pagers mark the last page so) or hidden. */
  disabled: boolean;
}

/** A field's raw value: one string or null, or every string for `all` fields. */
export type RawValue = string | null | string[];

export interface PageReading {
  /** The HTTP status of the document, when the browser reports it (Chromium does). */
  status: number | null;
  /** False when the wait's element did not appear within its timeout. */
  ready: boolean;
  url: string;
  baseUri: string;
  items: Record<string, RawValue>[];
  fields: Record<string, RawValue> | null;
  /** The next control, when one matched: its href attribute and whether it is disabled or hidden. */
  next: NextControl | null;
  count: number;
}

/**
 * The script run with executeAsyncScript(PAGE_SCRIPT, plan): waits for the plan's element inside
 * the browser, then reads every item and field in the same call. Reading element by element over
 * WebDriver costs one round trip per value; this costs one per page. Plain JavaScript in a string
 * because it runs in the browser, not in Node.
 */
export const PAGE_SCRIPT = `
const plan = arguments[0];
const done = arguments[arguments.length - 1];
function find(root, locator, all) {
  if (!locator) return [root];
  if (locator.css !== undefined) {
    if (all) return Array.from(root.querySelectorAll(locator.css));
    const one = root.querySelector(locator.css);
    return one ? [one] : [];
  }
  const snapshot = document.evaluate(locator.xpath, root, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
  const nodes = [];
  for (let i = 0; i < snapshot.snapshotLength && (all || i < 1); i++) nodes.push(snapshot.snapshotItem(i));
  return nodes;
}
function read(node, how) {
  if (node.nodeType === 2 || node.nodeType === 3) return node.nodeValue;
  if (how.kind === 'html') return node.innerHTML;
  if (how.kind === 'attribute') return node.getAttribute(how.name);
  const text = typeof node.innerText === 'string' ? node.innerText : node.textContent;
  return text == null ? null : text.trim();
}
function readFields(root, fields) {
  const out = {};
  for (const [name, field] of fields) {
    const values = find(root, field.locator, field.all).map((node) => read(node, field.read));
    out[name] = field.all ? values.filter((v) => v != null) : (values[0] ?? null);
  }
  return out;
}
function status() {
  const nav = performance.getEntriesByType('navigation')[0];
  return nav && nav.responseStatus ? nav.responseStatus : null;
}
function finish(ready) {
  try {
    const reading = { status: status(), ready, url: location.href, baseUri: document.baseURI,
      items: [], fields: null, next: null, count: 0 };
    if (ready && plan.items) reading.items = find(document, plan.items.locator, true).map((el) => readFields(el, plan.items.fields));
    if (ready && plan.fields) reading.fields = readFields(document, plan.fields);
    if (ready && plan.next) {
      const link = find(document, plan.next, false)[0];
      if (link && link.nodeType === 1) {
        const disabled = link.disabled === true || link.getClientRects().length === 0 ||
          !!link.closest('[aria-disabled="true"], .disabled, [disabled]');
        reading.next = { href: link.getAttribute('href'), disabled };
      } else if (link) {
        reading.next = { href: link.nodeValue, disabled: false };
      }
    }
    if (plan.count) reading.count = find(document, plan.count, true).length;
    done(reading);
  } catch (error) {
    done({ error: String(error && error.stack || error) });
  }
}
const started = Date.now();
function poll() {
  const s = status();
  if (s !== null && s >= 400) return finish(false);
  if (!plan.wait || !plan.wait.for || find(document, plan.wait.for, false).length > 0) return finish(true);
  if (Date.now() - started >= plan.wait.timeoutMs) return finish(false);
  setTimeout(poll, 50);
}
poll();
`;
