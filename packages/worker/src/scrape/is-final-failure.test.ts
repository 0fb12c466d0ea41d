import { error as webdriverErrors } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { RecordError } from './build-record.ts';
import { FieldValueError } from './coerce-field-value.ts';
import { FieldMissingError } from './field-missing-error.ts';
import { isFinalFailure } from './is-final-failure.ts';
import { PageError } from './run-page-plan.ts';
import { SelectorMatchedNothingError } from './selector-matched-nothing-error.ts';
import { PageTimeout } from './within-page-timeout.ts';

describe('isFinalFailure', () => {
  test.each([
    [
      'a value not in its type, wrapped in RecordError',
      wrap(new FieldValueError('"x" is not an integer')),
      true,
    ],
    [
      'a required field that matched nothing',
      wrap(new FieldMissingError('required, but nothing matched')),
      true,
    ],
    [
      'a click target that matched nothing',
      new SelectorMatchedNothingError('cannot click css "#x": not found'),
      true,
    ],
    ['an HTTP error status', new PageError('HTTP 500 from http://s.test/'), false],
    ['an awaited element that did not appear', new PageError('css "li" did not appear within 10 ms'), false],
    ['a page timeout', new PageTimeout('page took longer than 10 ms'), false],
    ['a lost session', new webdriverErrors.NoSuchSessionError('invalid session id'), false],
    ['a message that only reads like a final one', new Error('FIELD_VALUE_INVALID: not an integer'), false],
    ['not an Error', 'FIELD_MISSING', false],
  ])('%s: %s', (_, error, final) => {
    expect(isFinalFailure(error)).toBe(final);
  });
});

function wrap(cause: Error): RecordError {
  return new RecordError(`field id: ${cause.message}`, { cause });
}
