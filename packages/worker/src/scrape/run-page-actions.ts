import { setTimeout as sleep } from 'node:timers/promises';
import { By, type WebDriver } from 'selenium-webdriver';
import type { Locator, PageAction } from '../spec/job-spec.ts';
import { clickLikeAPerson } from './click-like-a-person.ts';
import { PageError, runPagePlan } from './run-page-plan.ts';

/**
 * Performs the spec's page actions in order before the page is read: fill (the value comes from
 * an environment variable and is never logged), click (as a person would, retried until
 * `deadline`, epoch ms), wait, scroll (infinite-scroll pages).
 */
export async function runPageActions(
  driver: WebDriver,
  actions: readonly PageAction[],
  env: Readonly<Record<string, string | undefined>>,
  deadline: number,
): Promise<void> {
  for (const action of actions) {
    switch (action.kind) {
      case 'fill': {
        const value = env[action.fromEnv];
        if (value === undefined)
          throw new PageError(`fill: environment variable ${action.fromEnv} is not set`);
        const input = await driver.findElement(_by(action.target));
        await input.clear();
        await input.sendKeys(value);
        break;
      }
      case 'click':
        await clickLikeAPerson(driver, action.target, deadline);
        break;
      case 'wait':
        if (action.for) await runPagePlan(driver, { wait: { for: action.for, timeoutMs: action.timeoutMs } });
        else await sleep(action.timeoutMs);
        break;
      case 'scroll':
        for (let i = 0; i < action.times; i++) {
          await driver.executeScript('window.scrollTo(0, document.body.scrollHeight);');
          await sleep(action.pauseMs);
          if (action.untilCount) {
            const { count } = await runPagePlan(driver, { count: action.untilCount.locator });
            if (count >= action.untilCount.count) break;
          }
        }
        break;
    }
  }
}

// --- internal ---

function _by(locator: Locator): By {
  return locator.css !== undefined ? By.css(locator.css) : By.xpath(locator.xpath);
}
