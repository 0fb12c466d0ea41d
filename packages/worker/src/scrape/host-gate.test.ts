import { describe, expect, test } from 'vitest';
import { HostGate } from './host-gate.ts';

describe('HostGate', () => {
  test('spaces requests to the same host by the delay; other hosts are not held back', async () => {
    const gate = new HostGate(150);
    const started = Date.now();
    const times: Record<string, number[]> = { a: [], b: [] };
    await Promise.all([
      ...[1, 2, 3].map(async (n) => {
        await gate.wait(`http://a.test/${n}`);
        times.a!.push(Date.now() - started);
      }),
      gate.wait('http://b.test/1').then(() => times.b!.push(Date.now() - started)),
    ]);
    const a = times.a!.sort((x, y) => x - y);
    expect(a[0]!).toBeLessThan(100);
    expect(a[1]!).toBeGreaterThanOrEqual(145);
    expect(a[2]!).toBeGreaterThanOrEqual(295);
    expect(times.b![0]!).toBeLessThan(100);
  });

  test('no delay configured: never waits', async () => {
    const gate = new HostGate(0);
    const started = Date.now();
    for (let i = 0; i < 100; i++) await gate.wait('http://a.test/');
    expect(Date.now() - started).toBeLessThan(50);
  });
});
