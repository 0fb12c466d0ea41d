import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { expect, test } from 'vitest';
import { listenPorts } from './listen-ports.ts';

const ephemeralLow = Number(
  readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
);

test('the ports are distinct, below the ephemeral and NodePort ranges, and free to listen on', async () => {
  const ports = await listenPorts(9);
  expect(ports.length).toBe(9);
  expect(new Set(ports).size).toBe(9);
  for (const port of ports) {
    expect(port).toBeGreaterThanOrEqual(10_000);
    expect(port).toBeLessThan(Math.min(30_000, ephemeralLow));
    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve()));
    });
  }
});

test('ports another server listens on are skipped', async () => {
  // Hold the first five ports of the search; the picks are the next free ones after them.
  const held = await Promise.all(
    [20_000, 20_001, 20_002, 20_003, 20_004].map(
      (port) =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen({ port, host: '0.0.0.0', exclusive: true }, () => resolve(server));
        }),
    ),
  );
  try {
    const ports = await listenPorts(3, { first: 20_000 });
    expect(ports.length).toBe(3);
    for (const port of ports) expect(port).toBeGreaterThan(20_004);
    expect(ports).toEqual([...ports].sort((a, b) => a - b));
    expect(ports[0]).toBeLessThan(20_100);
  } finally {
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
  }
});
