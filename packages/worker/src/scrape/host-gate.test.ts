import { describe, expect, test } from 'vitest';
import { HostGate } from './host-gate.ts';

describe('HostGate', () => {
  test('spaces requests to the same host by the delay; other hosts are not held back', async () => {
    // A fake clock: sleeping moves it; nothing waits for real.
    let clock = 1_000;
    const slept: number[] = [];
    const gate = new HostGate(
      150,
      () => clock,
      async (ms: number) => {
        slept.push(ms);
      },
    );
    const times: Record<string, number[]> = { a: [], b: [] };
    for (const n of [1, 2, 3]) {
      await gate.wait(`http://a.test/${n}`);
      times.a!.push(clock);
      clock += 10; // the request itself
    }
    await gate.wait('http://b.test/1');
    times.b!.push(clock);
    // a: at once, then 150 ms after the first slot, then 150 after that (less the 10 ms spent each).
    expect(slept).toEqual([140, 280]);
    expect(times.b).toEqual([1_030]);
  });

  test('no delay configured: never waits', async () => {
    const slept: number[] = [];
    const gate = new HostGate(
      0,
      () => 0,
      async (ms: number) => {
        slept.push(ms);
      },
    );
    for (let i = 0; i < 100; i++) await gate.wait('http://a.test/');
    expect(slept).toEqual([]);
  });
});
