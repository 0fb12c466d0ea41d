import { error as webdriverErrors } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { isSessionLost } from './is-session-lost.ts';
import { PageError } from './run-page-plan.ts';

describe('isSessionLost', () => {
  test.each([
    [new webdriverErrors.NoSuchSessionError('invalid session id'), true],
    [
      new webdriverErrors.WebDriverError(
        'Unable to execute request for an existing session: java.net.ConnectException: Connection refused',
      ),
      true,
    ],
    [new webdriverErrors.WebDriverError('chrome not reachable'), true],
    [new Error('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:4444') }), true],
    [new webdriverErrors.NoSuchElementError('no such element: Unable to locate element'), false],
    [new webdriverErrors.TimeoutError('timeout: Timed out receiving message from renderer'), false],
    [new PageError('HTTP 500 from http://shop.test/broken'), false],
  ])('%s → %s', (error, lost) => {
    expect(isSessionLost(error)).toBe(lost);
  });
});
