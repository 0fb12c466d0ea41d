import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { type KubeApiDouble, startKubeApiDouble, waitUntil } from '@scrapegrid/test-support';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { watchWorkerContainer } from './watch-worker-container.ts';

const target = { name: 'scrape-job-x7k2p', namespace: 'scrape', container: 'worker' };
const log = pino({ level: 'silent' });
const oom = {
  terminated: {
    exitCode: 137,
    reason: 'OOMKilled',
    startedAt: '2026-11-22T01:00:00Z',
    finishedAt: '2026-11-22T01:05:00Z',
  },
};
let dir = '';
let api: KubeApiDouble;
let abort: AbortController;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reaper-kube-'));
  abort = new AbortController();
});
afterEach(async () => {
  abort.abort();
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

const start = async (options: { expiredAs?: 'event' | 'http' } = {}) => {
  api = await startKubeApiDouble({ namespace: target.namespace, podName: target.name, dir, ...options });
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  return watchWorkerContainer(kc, target, { log, signal: abort.signal, retryMs: 50 });
};
const watchOpen = (rv: string) =>
  waitUntil(() => api.requests.at(-1)?.label === `WATCH rv=${rv}` && api.openWatches() === 1, {
    what: `a watch from ${rv}`,
    timeoutMs: 5_000,
    intervalMs: 10,
  });

describe('watchWorkerContainer against a Kubernetes API double', () => {
  test.each(['event', 'http'] as const)(
    'follows bookmarks, resumes after the server closes, re-reads after 410 Gone (as an %s), and sees the OOMKill',
    async (expiredAs) => {
      const terminated = start({ expiredAs });
      await watchOpen('100');
      api.setContainerState('chrome', { running: { startedAt: '2026-11-22T01:00:00Z' } }); // 101: not the worker
      api.advance(5); // BOOKMARK 106
      await new Promise((r) => setTimeout(r, 50));
      api.closeWatches(); // the server's timeoutSeconds
      await watchOpen('106');
      api.closeWatches();
      api.advance(20); // nobody watching: the client's 106 falls behind
      api.compact();
      await watchOpen('none'); // 410 → GET → watch from now
      api.setContainerState('worker', oom);
      await expect(terminated).resolves.toEqual({
        exitCode: 137,
        reason: 'OOMKilled',
        finishedAt: '2026-11-22T01:05:00.000Z',
        via: 'watch',
      });
      expect(api.requests.map((r) => r.label)).toEqual([
        'GET pod',
        'WATCH rv=100',
        'WATCH rv=106',
        'WATCH rv=106',
        'GET pod',
        'WATCH rv=none',
      ]);
    },
  );

  test('a worker already terminated when the reaper starts is seen at the first read', async () => {
    api = await startKubeApiDouble({ namespace: target.namespace, podName: target.name, dir });
    api.setContainerState('worker', oom);
    const kc = new KubeConfig();
    kc.loadFromFile(api.kubeconfigPath);
    await expect(watchWorkerContainer(kc, target, { log, signal: abort.signal })).resolves.toMatchObject({
      reason: 'OOMKilled',
      exitCode: 137,
      via: 'list',
    });
    expect(api.requests.map((r) => r.label)).toEqual(['GET pod']);
  });

  test('without RBAC permission it gives up quietly after one request (the sentinel still works)', async () => {
    api = await startKubeApiDouble({ namespace: target.namespace, podName: target.name, dir });
    api.forbid();
    const kc = new KubeConfig();
    kc.loadFromFile(api.kubeconfigPath);
    const lines: string[] = [];
    const spy = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const terminated = watchWorkerContainer(kc, target, { log: spy, signal: abort.signal, retryMs: 50 });
    const outcome = await Promise.race([terminated, new Promise((r) => setTimeout(r, 500, 'still waiting'))]);
    expect(outcome).toBe('still waiting');
    expect(api.requests.map((r) => r.label)).toEqual(['403']);
    expect(lines.join('')).toContain('no permission to read this pod');
  });

  test('a plain success of the worker (Completed, exit 0) is seen too', async () => {
    const terminated = start();
    await watchOpen('100');
    api.setContainerState('worker', { terminated: { ...oom.terminated, exitCode: 0, reason: 'Completed' } });
    await expect(terminated).resolves.toMatchObject({ exitCode: 0, reason: 'Completed', via: 'watch' });
  });
});
