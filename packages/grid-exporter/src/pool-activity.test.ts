import { describe, expect, test } from 'vitest';
import { fakeSnapshotSource } from './fake-snapshot-source.test-helper.ts';
import { PoolActivity } from './pool-activity.ts';

function setup() {
  const source = fakeSnapshotSource();
  const activity = new PoolActivity(source);
  const pushed: Record<string, boolean[]> = { chrome: [], firefox: [] };
  const watch = (pool: 'chrome' | 'firefox') => activity.watch(pool, (active) => pushed[pool]!.push(active));
  return { source, activity, pushed, watch };
}

describe('PoolActivity', () => {
  test('a watch opened before the first poll gets the first state, then only changes', () => {
    const { source, pushed, watch } = setup();
    watch('chrome');
    expect(pushed.chrome).toEqual([]);
    source.poll({ chrome: 0, firefox: 0 });
    expect(pushed.chrome).toEqual([false]);
    source.poll({ chrome: 0, firefox: 0 });
    source.poll({ chrome: 1, firefox: 0 });
    expect(pushed.chrome).toEqual([false, true]);
    source.poll({ chrome: 3, firefox: 0 });
    source.poll({ chrome: 3, firefox: 0 });
    expect(pushed.chrome).toEqual([false, true]);
    source.poll({ chrome: 0, firefox: 0 });
    expect(pushed.chrome).toEqual([false, true, false]);
  });

  test('a watch opened later gets the current state at once', () => {
    const { source, pushed, watch } = setup();
    source.poll({ chrome: 2, firefox: 0 });
    watch('chrome');
    watch('firefox');
    expect(pushed).toEqual({ chrome: [true], firefox: [false] });
  });

  test('pools are pushed independently', () => {
    const { source, pushed, watch } = setup();
    watch('chrome');
    watch('firefox');
    source.poll({ chrome: 0, firefox: 0 });
    source.poll({ chrome: 0, firefox: 4 });
    expect(pushed).toEqual({ chrome: [false], firefox: [false, true] });
  });

  test('a failed poll pushes nothing and the reading says why; the next success pushes a change', () => {
    const { source, activity, pushed, watch } = setup();
    watch('chrome');
    source.poll({ chrome: 2, firefox: 0 });
    source.fail('connect ECONNREFUSED 10.0.0.1:4444');
    expect(pushed.chrome).toEqual([true]);
    expect(activity.reading('chrome')).toEqual({
      ok: false,
      reason: 'the last poll of the Grid failed: connect ECONNREFUSED 10.0.0.1:4444',
    });
    source.poll({ chrome: 0, firefox: 0 });
    expect(pushed.chrome).toEqual([true, false]);
    expect(activity.reading('chrome')).toEqual({ ok: true, desiredNodes: 0 });
  });

  test('before any poll there is no reading', () => {
    const { activity } = setup();
    expect(activity.reading('chrome')).toEqual({ ok: false, reason: 'no poll of the Grid has ended yet' });
  });

  test.each([
    [undefined, false],
    [{ chrome: 0, firefox: 2 }, true],
    [{ chrome: 1, firefox: 2 }, false],
    ['fail', false],
  ] as const)('anyInactive after %j → %s', (poll, expected) => {
    const { source, activity } = setup();
    if (poll === 'fail') source.fail();
    else if (poll !== undefined) source.poll(poll);
    expect(activity.anyInactive()).toBe(expected);
  });

  test('a stopped watch hears nothing more', () => {
    const { source, activity, pushed, watch } = setup();
    const stop = watch('chrome');
    source.poll({ chrome: 1, firefox: 0 });
    stop();
    source.poll({ chrome: 0, firefox: 0 });
    expect(pushed.chrome).toEqual([true]);
    expect(activity.watching).toBe(0);
  });

  describe('confirmedReading (what IsActive says)', () => {
    test('a pool at 0 in the last snapshot is polled again: a session begun since then makes it active', async () => {
      const { source, activity, pushed, watch } = setup();
      watch('chrome');
      source.poll({ chrome: 0, firefox: 0 });
      source.nextPollFinds({ chrome: 1, firefox: 0 });
      expect(await activity.confirmedReading('chrome')).toEqual({ ok: true, desiredNodes: 1 });
      expect(source.onDemandPolls).toBe(1);
      // The on-demand poll is a poll like any other: the watchers hear the change too.
      expect(pushed.chrome).toEqual([false, true]);
    });

    test('a pool still at 0 after the fresh poll reads 0', async () => {
      const { source, activity } = setup();
      source.poll({ chrome: 0, firefox: 2 });
      expect(await activity.confirmedReading('chrome')).toEqual({ ok: true, desiredNodes: 0 });
      expect(source.onDemandPolls).toBe(1);
    });

    test('an active pool is read from the snapshot, without a poll', async () => {
      const { source, activity } = setup();
      source.poll({ chrome: 3, firefox: 0 });
      source.nextPollFinds({ chrome: 0, firefox: 0 });
      expect(await activity.confirmedReading('chrome')).toEqual({ ok: true, desiredNodes: 3 });
      expect(source.onDemandPolls).toBe(0);
    });

    test('after a failed poll, the fresh poll decides', async () => {
      const { source, activity } = setup();
      source.fail();
      source.nextPollFinds({ chrome: 2, firefox: 0 });
      expect(await activity.confirmedReading('chrome')).toEqual({ ok: true, desiredNodes: 2 });
      expect(source.onDemandPolls).toBe(1);
    });
  });
});
