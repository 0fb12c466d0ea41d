import { describe, expect, test } from 'vitest';
import { expandStartUrls } from '../scrape/expand-start-urls.ts';
import { shardStartUrls } from './shard-start-urls.ts';

const PAGES = expandStartUrls({ kind: 'template', template: 'http://a/list?page={page}', from: 1, to: 10 });

describe('shardStartUrls', () => {
  test('shard i of n takes the expanded URLs at positions p with p % n === i', () => {
    expect(shardStartUrls(PAGES, { index: 0, count: 3 })).toEqual([
      'http://a/list?page=1',
      'http://a/list?page=4',
      'http://a/list?page=7',
      'http://a/list?page=10',
    ]);
    expect(shardStartUrls(PAGES, { index: 1, count: 3 })).toEqual([
      'http://a/list?page=2',
      'http://a/list?page=5',
      'http://a/list?page=8',
    ]);
    expect(shardStartUrls(PAGES, { index: 2, count: 3 })).toEqual([
      'http://a/list?page=3',
      'http://a/list?page=6',
      'http://a/list?page=9',
    ]);
  });

  test('the shares cover every URL exactly once, and a retry (a second call) gets the same share', () => {
    const shares = [0, 1, 2, 3].map((index) => shardStartUrls(PAGES, { index, count: 4 }));
    expect(shares.map((share) => share.length)).toEqual([3, 3, 2, 2]);
    expect(shares.flat().sort()).toEqual([...PAGES].sort());
    expect(shardStartUrls(PAGES, { index: 3, count: 4 })).toEqual(shares[3]);
  });

  test('a URL listed twice counts once, at its first place: no two shards scrape it', () => {
    const urls = ['http://a/1', 'http://a/2', 'http://a/1', 'http://a/3'];
    expect(shardStartUrls(urls, { index: 0, count: 2 })).toEqual(['http://a/1', 'http://a/3']);
    expect(shardStartUrls(urls, { index: 1, count: 2 })).toEqual(['http://a/2']);
  });

  test('one shard of one, or no shard: every distinct URL in order', () => {
    expect(shardStartUrls(PAGES, { index: 0, count: 1 })).toEqual(PAGES);
    expect(shardStartUrls(['http://a/2', 'http://a/1', 'http://a/2'], undefined)).toEqual([
      'http://a/2',
      'http://a/1',
    ]);
  });
});
