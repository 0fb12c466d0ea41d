import { ConfigError } from '@scrapegrid/program-kit';
import { splitUrlCredentials } from '@scrapegrid/selenium-grid';
import { describe, expect, test } from 'vitest';
import { readGridUrl } from './read-grid-url.ts';

describe('readGridUrl', () => {
  test('WORKER_GRID_URL alone, or nothing: as given', () => {
    expect(readGridUrl({})).toBeUndefined();
    expect(readGridUrl({ WORKER_GRID_URL: 'http://selenium-hub:4444' })).toBe('http://selenium-hub:4444');
  });

  test('username and password become the URL user info, percent-encoded, and decode back to themselves', () => {
    const url = readGridUrl({
      WORKER_GRID_URL: 'http://selenium-hub:4444',
      WORKER_GRID_USERNAME: 'scrapegrid',
      WORKER_GRID_PASSWORD: 'p@ss:w/rd#1 %',
    });
    expect(url).toBe('http://scrapegrid:p%40ss%3Aw%2Frd%231%20%25@selenium-hub:4444');
    expect(splitUrlCredentials(url!)).toEqual({
      url: 'http://selenium-hub:4444',
      auth: { kind: 'basic', username: 'scrapegrid', password: 'p@ss:w/rd#1 %' },
    });
  });

  test.each([
    [
      { WORKER_GRID_URL: 'http://h:4444', WORKER_GRID_USERNAME: 'u' },
      'set both WORKER_GRID_USERNAME and WORKER_GRID_PASSWORD, or neither',
    ],
    [{ WORKER_GRID_USERNAME: 'u', WORKER_GRID_PASSWORD: 'p' }, 'need WORKER_GRID_URL'],
    [
      { WORKER_GRID_URL: 'http://a:b@h:4444', WORKER_GRID_USERNAME: 'u', WORKER_GRID_PASSWORD: 'p' },
      'WORKER_GRID_URL holds credentials and WORKER_GRID_USERNAME/_PASSWORD are set: keep one',
    ],
    [
      {
        WORKER_GRID_URL: 'http://h:4444',
        WORKER_GRID_USERNAME: 'u',
        WORKER_GRID_PASSWORD: 'replace-me-with-x',
      },
      'WORKER_GRID_PASSWORD is still the shipped placeholder',
    ],
  ])('%j is refused: %s', (env, message) => {
    expect(() => readGridUrl(env)).toThrow(ConfigError);
    expect(() => readGridUrl(env)).toThrow(message);
  });
});
