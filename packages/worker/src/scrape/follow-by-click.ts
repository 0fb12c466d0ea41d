import { setTimeout as sleep } from 'node:timers/promises';
import type { WebDriver } from 'selenium-webdriver';
import type { Locator } from '../spec/job-spec.ts';
import { clickLikeAPerson } from './click-like-a-person.ts';

/** How the page answered a click on its next control. */
export type ClickOutcome = 'navigated' | 'updated' | 'unchanged';

/**
 * Clicks a next control that has no link to follow (the page navigates in a click handler, or
 * replaces its items in place) and waits until the page shows other items: a new document, or the
 * same document with different items, settled over two looks. 'unchanged' when nothing happened
 * within `settleTimeoutMs`: the control cannot be followed.
 */
export async function clickNext(
  driver: WebDriver,
  control: Locator,
  items: Locator,
  options: { deadline: number; settleTimeoutMs: number },
): Promise<ClickOutcome> {
  const before = await _look(driver, items, true);
  await clickLikeAPerson(driver, control, options.deadline);
  const until = Math.min(options.deadline, Date.now() + options.settleTimeoutMs);
  let previous: Look | undefined;
  while (Date.now() < until) {
    await sleep(POLL_MS);
    const now = await _look(driver, items, false).catch(() => undefined); // mid-navigation
    if (now === undefined) continue;
    const changed = !now.sameDocument || now.fingerprint !== before.fingerprint;
    if (changed && now.count > 0 && previous?.fingerprint === now.fingerprint)
      return now.sameDocument ? 'updated' : 'navigated';
    previous = changed ? now : undefined;
  }
  return 'unchanged';
}

/**
 * Clicks a "load more" button until it is gone or stays disabled (or `maxClicks`), waiting after
 * each click until more items are there. Pages disable the button while they load: a disabled
 * button ends the loop only once it has stayed disabled for `settleTimeoutMs`. Returns the clicks
 * made; throws LoadMoreError when a click loads nothing.
 */
export async function clickLoadMore(
  driver: WebDriver,
  button: Locator,
  items: Locator,
  options: { deadline: () => number; settleTimeoutMs: number; maxClicks: number },
): Promise<number> {
  let clicks = 0;
  while (clicks < options.maxClicks) {
    let before = await _look(driver, items, false, button);
    const enabledBy = Date.now() + options.settleTimeoutMs;
    while (before.control === 'disabled' && Date.now() < enabledBy) {
      await sleep(POLL_MS);
      before = await _look(driver, items, false, button);
    }
    if (before.control !== 'usable') return clicks;
    await clickLikeAPerson(driver, button, options.deadline());
    clicks++;
    const until = Math.min(options.deadline(), Date.now() + options.settleTimeoutMs);
    for (;;) {
      await sleep(POLL_MS);
      const now = await _look(driver, items, false, button);
      if (now.count > before.count) break;
      if (Date.now() >= until) {
        if (now.control === 'gone') return clicks; // the last click loaded nothing and removed it
        throw new LoadMoreError(clicks, before.count);
      }
    }
  }
  return clicks;
}

export class LoadMoreError extends Error {
  readonly code = 'LOAD_MORE_FAILED';
  constructor(click: number, count: number) {
    super(`load more: click ${click} loaded nothing (still ${count} items)`);
  }
}

// --- internal ---

const POLL_MS = 150;

interface Look {
  sameDocument: boolean;
  count: number;
  fingerprint: string;
  control: 'usable' | 'disabled' | 'gone';
}

/**
 * One look at the page: how many items, a fingerprint of their text, whether this is still the
 * document marked before the click, and whether the control can still be clicked.
 */
async function _look(driver: WebDriver, items: Locator, mark: boolean, control?: Locator): Promise<Look> {
  return (await driver.executeScript(LOOK_SCRIPT, items, mark, control ?? null)) as Look;
}

const LOOK_SCRIPT = `
const [items, mark, control] = arguments;
function all(locator) {
  if (locator.css !== undefined) return Array.from(document.querySelectorAll(locator.css));
  const s = document.evaluate(locator.xpath, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
  const out = [];
  for (let i = 0; i < s.snapshotLength; i++) out.push(s.snapshotItem(i));
  return out;
}
if (mark) window.__scrapegridBeforeClick = true;
const found = all(items);
let state = 'gone';
if (control) {
  const el = all(control)[0];
  if (el && el.getClientRects().length > 0)
    state = el.disabled || el.closest('[aria-disabled="true"], .disabled, [disabled]') ? 'disabled' : 'usable';
}
return {
  sameDocument: window.__scrapegridBeforeClick === true,
  count: found.length,
  fingerprint: found.map((el) => el.textContent).join('\\u0001'),
  control: state,
};
`;
