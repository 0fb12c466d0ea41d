import { setTimeout as sleep } from 'node:timers/promises';
import { By, type WebDriver, error as webdriverErrors } from 'selenium-webdriver';
import type { Locator } from '../spec/job-spec.ts';
import { describeLocator, PageError } from './run-page-plan.ts';
import { SelectorMatchedNothingError } from './selector-matched-nothing-error.ts';

/**
 * Clicks an element the way a person does: scrolled to the middle of the window, once it is shown,
 * enabled and not covered by another element (a cookie banner, a sticky footer, a loading overlay),
 * retrying until `deadline` (epoch ms). A bare WebDriver click fails at once with "other element
 * would receive the click" when the element sits under a fixed banner at the window's size.
 */
export async function clickLikeAPerson(driver: WebDriver, target: Locator, deadline: number): Promise<void> {
  let problem = 'not found';
  let found = false;
  for (;;) {
    try {
      const element = await driver.findElement(_by(target));
      found = true;
      const obstacle = (await driver.executeScript(CLICK_READY_SCRIPT, element)) as string | null;
      if (obstacle === null) {
        await element.click();
        return;
      }
      problem = obstacle;
    } catch (error) {
      if (!_isTransient(error)) throw error;
      // ChromeDriver's own words for a missing element quote the whole locator back.
      problem =
        error instanceof webdriverErrors.NoSuchElementError
          ? 'not found'
          : ((error as Error).message.split('\n')[0] ?? String(error));
    }
    if (Date.now() >= deadline) {
      const message = `cannot click ${describeLocator(target)}: ${problem}`;
      // Matched nothing all this time on a page that loaded: loading it again would not help.
      throw found ? new PageError(message) : new SelectorMatchedNothingError(message);
    }
    await sleep(150);
  }
}

// --- internal ---

/**
 * Scrolls the element to the middle of the window, then says what keeps it from a click, or null.
 * elementFromPoint at its centre is what a person's click would hit.
 */
const CLICK_READY_SCRIPT = `
const el = arguments[0];
el.scrollIntoView({ block: 'center', inline: 'center' });
if (el.getClientRects().length === 0) return 'it is not displayed';
if (el.disabled || el.getAttribute('aria-disabled') === 'true') return 'it is disabled';
const box = el.getBoundingClientRect();
const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
if (hit === null) return 'it is outside the window';
if (hit === el || el.contains(hit)) return null;
const name = hit.tagName.toLowerCase() + (hit.id ? '#' + hit.id : '') +
  (typeof hit.className === 'string' && hit.className.trim() ? '.' + hit.className.trim().split(/\\s+/).join('.') : '');
return 'it is covered by ' + name;
`;

function _isTransient(error: unknown): boolean {
  return (
    error instanceof webdriverErrors.NoSuchElementError ||
    error instanceof webdriverErrors.StaleElementReferenceError ||
    error instanceof webdriverErrors.ElementClickInterceptedError ||
    error instanceof webdriverErrors.ElementNotInteractableError
  );
}

function _by(locator: Locator): By {
  return locator.css !== undefined ? By.css(locator.css) : By.xpath(locator.xpath);
}
