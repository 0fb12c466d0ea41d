import { setTimeout as sleep } from 'node:timers/promises';
import type { WebDriver } from 'selenium-webdriver';
import type { LoginSpec } from '../spec/job-spec.ts';
import { runPageActions } from './run-page-actions.ts';
import { describeLocator, runPagePlan } from './run-page-plan.ts';

export class LoginError extends Error {
  readonly code = 'LOGIN_FAILED';
}

/**
 * The spec's `login:` in a fresh session: load its page, run its actions (fill from the
 * environment, click…), then wait until its success check holds. The session keeps the cookies for
 * every page it reads afterwards. Throws LoginError saying which check did not hold.
 */
export async function runLogin(
  driver: WebDriver,
  login: LoginSpec,
  env: Readonly<Record<string, string | undefined>>,
  deadline: number,
): Promise<void> {
  await driver.get(login.url);
  await runPagePlan(driver, { wait: login.wait });
  await runPageActions(driver, login.actions, env, deadline);
  const until = Date.now() + login.timeoutMs;
  let state: { url: string; found: boolean } | undefined;
  while (Date.now() < until) {
    // Mid-navigation (the form was just submitted) the script may fail: look again.
    state = await _look(driver, login).catch(() => state);
    if (state && _holds(login.success, state)) return;
    await sleep(200);
  }
  const wanted = [
    ...(login.success.for ? [`${describeLocator(login.success.for)} present`] : []),
    ...(login.success.urlContains ? [`the URL containing "${login.success.urlContains}"`] : []),
  ].join(' and ');
  throw new LoginError(
    `login did not work: expected ${wanted} within ${login.timeoutMs} ms; the browser is at ${state?.url ?? 'an unknown page'}`,
  );
}

// --- internal ---

function _holds(success: LoginSpec['success'], state: { url: string; found: boolean }): boolean {
  if (success.for && !state.found) return false;
  if (success.urlContains !== undefined && !state.url.includes(success.urlContains)) return false;
  return true;
}

async function _look(driver: WebDriver, login: LoginSpec): Promise<{ url: string; found: boolean }> {
  const reading = await runPagePlan(driver, {
    ...(login.success.for ? { count: login.success.for } : {}),
  });
  return { url: reading.url, found: reading.count > 0 };
}
