import { expect, test } from 'vitest';
import { MinHeap } from './min-heap.ts';

test('pops in order, whatever the push order', () => {
  const values = Array.from({ length: 500 }, (_, i) => (i * 7919) % 503);
  const heap = new MinHeap<number>((a, b) => a < b);
  for (const v of values) heap.push(v);
  expect(heap.size).toBe(500);
  const out: number[] = [];
  for (let v = heap.pop(); v !== undefined; v = heap.pop()) out.push(v);
  expect(out).toEqual([...values].sort((a, b) => a - b));
  expect(heap.pop()).toBeUndefined();
});
