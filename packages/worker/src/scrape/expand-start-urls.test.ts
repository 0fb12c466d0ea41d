import { describe, expect, test } from 'vitest';
import { expandStartUrls } from './expand-start-urls.ts';

describe('expandStartUrls', () => {
  test('a list is used as it is', () => {
    expect(expandStartUrls({ kind: 'urls', urls: ['http://a/1', 'http://a/2'] })).toEqual([
      'http://a/1',
      'http://a/2',
    ]);
  });
  test('a template gives one URL per page, bounds included', () => {
    expect(
      expandStartUrls({ kind: 'template', template: 'http://a/p?page={page}&x={page}', from: 2, to: 4 }),
    ).toEqual(['http://a/p?page=2&x=2', 'http://a/p?page=3&x=3', 'http://a/p?page=4&x=4']);
  });
});
