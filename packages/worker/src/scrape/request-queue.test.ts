import { describe, expect, test, vi } from 'vitest';
import { RequestQueue } from './request-queue.ts';

const page = (url: string) => ({ url, kind: 'listing' as const, depth: 1 });

describe('RequestQueue', () => {
  test('hands out each URL once (fragments ignored), in order', async () => {
    const queue = new RequestQueue();
    expect(queue.add(page('http://a/1'))).toBe(true);
    expect(queue.add(page('http://a/1#top'))).toBe(false);
    expect(queue.add(page('http://a/2'))).toBe(true);
    const first = await queue.next();
    const second = await queue.next();
    expect([first?.url, second?.url]).toEqual(['http://a/1', 'http://a/2']);
    queue.done(first!);
    queue.done(second!);
    expect(await queue.next()).toBeUndefined();
  });

  test('next() waits while a page is in flight, since it may add more', async () => {
    const queue = new RequestQueue();
    queue.add(page('http://a/1'));
    const first = (await queue.next())!;
    const waiting = queue.next();
    queue.add(page('http://a/2'));
    expect((await waiting)?.url).toBe('http://a/2');
    const idle = queue.next();
    queue.done(first);
    expect(queue.outstanding).toBe(1);
    queue.done((await Promise.race([idle, Promise.resolve(undefined)])) ?? first);
  });

  test('a page retried later comes back after its delay; the queue is not done meanwhile', async () => {
    vi.useFakeTimers();
    try {
      const queue = new RequestQueue();
      queue.add(page('http://a/1'));
      const request = (await queue.next())!;
      request.attempts++;
      queue.retryLater(request, 1000);
      const again = queue.next();
      expect(queue.outstanding).toBe(1);
      await vi.advanceTimersByTimeAsync(1000);
      expect(await again).toMatchObject({ url: 'http://a/1', attempts: 1 });
    } finally {
      vi.useRealTimers();
    }
  });

  test('close() wakes every waiter with undefined and drops pending retries', async () => {
    const queue = new RequestQueue();
    queue.add(page('http://a/1'));
    const request = (await queue.next())!;
    queue.retryLater(request, 60_000);
    const waiting = queue.next();
    queue.close();
    expect(await waiting).toBeUndefined();
    expect(queue.add(page('http://a/3'))).toBe(false);
    expect(queue.outstanding).toBe(0);
  });
});
