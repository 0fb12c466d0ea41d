import { Counter, Registry } from 'prom-client';
import { describe, expect, test } from 'vitest';
import { serveMetrics } from './serve-metrics.ts';

describe('serveMetrics', () => {
  test('serves /metrics in the Prometheus text format, /healthz, and 404 elsewhere', async () => {
    const registry = new Registry();
    new Counter({ name: 'worker_test_total', help: 'A test counter.', registers: [registry] }).inc(3);
    const server = await serveMetrics(registry, 0);
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      expect(await metrics.text()).toContain('worker_test_total 3');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  test('a port in use is an error, not a crash later', async () => {
    const first = await serveMetrics(new Registry(), 0);
    try {
      await expect(serveMetrics(new Registry(), first.port)).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
