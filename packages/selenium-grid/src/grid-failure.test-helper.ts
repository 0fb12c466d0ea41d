import { expect } from 'vitest';
import { GridError } from './grid-error.ts';

/** The GridError the promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function gridFailure(promise: Promise<unknown>): Promise<GridError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GridError);
  return error as GridError;
}
