import { describe, expect, test } from 'vitest';
import { DetailJoins } from './detail-joins.ts';

describe('DetailJoins', () => {
  test('one page for many items: queued once, joined into the waiting items and the later ones', () => {
    const joins = new DetailJoins();
    expect(joins.add('http://s.test/author/1', { quote: 'a' })).toEqual({ kind: 'queue' });
    expect(joins.add('http://s.test/author/1#bio', { quote: 'b' })).toEqual({ kind: 'waiting' });
    expect(joins.add('http://s.test/author/2', { quote: 'c' })).toEqual({ kind: 'queue' });
    expect(joins.resolve('http://s.test/author/1', { born: 1879 })).toEqual([
      { quote: 'a', born: 1879 },
      { quote: 'b', born: 1879 },
    ]);
    expect(joins.add('http://s.test/author/1', { quote: 'd' })).toEqual({
      kind: 'joined',
      record: { quote: 'd', born: 1879 },
    });
    expect(joins.pagesRead).toBe(1);
  });

  test('a page that failed for good: its waiting items and later ones are counted as lost', () => {
    const joins = new DetailJoins();
    joins.add('http://s.test/brand/x', { id: 1 });
    joins.add('http://s.test/brand/x', { id: 2 });
    expect(joins.fail('http://s.test/brand/x')).toBe(2);
    expect(joins.add('http://s.test/brand/x', { id: 3 })).toEqual({ kind: 'lost' });
  });
});
