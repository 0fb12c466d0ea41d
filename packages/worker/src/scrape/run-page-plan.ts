import type { WebDriver } from 'selenium-webdriver';
import { PAGE_SCRIPT, type PagePlan, type PageReading } from './page-script.ts';

export class PageError extends Error {
  readonly code = 'PAGE_FAILED';
}

/**
 * Runs the page script with a plan in one WebDriver call and turns what the page said into a
 * PageError when the page cannot be read: an HTTP error status, or the awaited element missing.
 */
export async function runPagePlan(driver: WebDriver, plan: PagePlan): Promise<PageReading> {
  const result = (await driver.executeAsyncScript(PAGE_SCRIPT, plan)) as PageReading | { error: string };
  if ('error' in result) throw new PageError(`page script failed: ${result.error}`);
  if (result.status !== null && result.status >= 400)
    throw new PageError(`HTTP ${result.status} from ${result.url}`);
  if (!result.ready && plan.wait?.for) {
    throw new PageError(`${describeLocator(plan.wait.for)} did not appear within ${plan.wait.timeoutMs} ms`);
  }
  return result;
}

export function describeLocator(locator: { css?: string; xpath?: string }): string {
  return locator.css !== undefined ? `css "${locator.css}"` : `xpath "${locator.xpath}"`;
}
