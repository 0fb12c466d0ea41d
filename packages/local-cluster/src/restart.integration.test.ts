import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { startLocalCluster } from './cluster.ts';
import { clusterLayout as L } from './cluster-layout.ts';

const ephemeralLow = Number(
  readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
);

/**
 * `cluster.sh up` right after `down`: each start reaches a Ready node on ports outside the
 * ephemeral range, which the last cluster's connections (still in TIME_WAIT) cannot hold.
 */
test('starts and stops three times in a row, each start Ready', async () => {
  const log: string[] = [];
  for (let round = 1; round <= 3; round++) {
    const started = Date.now();
    const cluster = await startLocalCluster({ log: (line) => log.push(`${round}: ${line}`) });
    try {
      const ready = await cluster.kubectl([
        'get',
        'node',
        L.nodeName,
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      ]);
      expect(ready).toBe('True');
      const apiserverPort = Number(new URL(cluster.apiserverUrl).port);
      expect(apiserverPort).toBeGreaterThanOrEqual(10_000);
      expect(apiserverPort).toBeLessThan(ephemeralLow);
    } finally {
      await cluster.stop();
    }
    console.log(`start ${round}: Ready and stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  // No start needed a second attempt: the ports were free when their servers bound them.
  expect(log.filter((line) => line.includes('starting again'))).toEqual([]);
}, 1_200_000);
