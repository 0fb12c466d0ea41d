import { KubeConfig } from '@kubernetes/client-node';
import { clusterLayout, type LocalCluster, startLocalCluster, waitUntil } from '@scrapegrid/test-support';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { watchWorkerContainer } from './watch-worker-container.ts';

const NS = 'watch-resume';
const POD = 'worker-pod';
const WORKER_SECONDS = 50;

/** apiserver_request_total for WATCH on pods: every watch the reaper opened (and the server ended). */
async function podWatchRequests(cluster: LocalCluster): Promise<number> {
  const metrics = await cluster.kubectl(['get', '--raw', '/metrics']);
  let total = 0;
  for (const line of metrics.split('\n'))
    if (
      line.startsWith('apiserver_request_total{') &&
      line.includes('verb="WATCH"') &&
      line.includes('resource="pods"')
    )
      total += Number(line.split(' ').at(-1));
  return total;
}

describe('the pod watch on a real API server that ends watches and compacts etcd', () => {
  let cluster: LocalCluster;

  beforeAll(async () => {
    cluster = await startLocalCluster({
      // Watches end after 5–10 s (the server picks between min and 2×min), etcd is compacted
      // every 2 s, and pod watches go to etcd directly (no watch cache, whose window would hide
      // the compaction): a resumed watch from the pod's last resourceVersion gets 410 Gone.
      etcdCompactionIntervalSeconds: 2,
      extraApiserverArgs: ['--min-request-timeout=5', '--watch-cache-sizes=pods#0'],
    });
  }, 600_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  test('resumes after each server-ended watch, re-reads after 410, and sees the worker end', async () => {
    await cluster.kubectl(['create', 'namespace', NS]);
    // The reaper's own RBAC (components/sidecars-with-reaper): get + watch pods, nothing else.
    await cluster.kubectl(['-n', NS, 'create', 'serviceaccount', 'reaper']);
    await cluster.kubectl(['-n', NS, 'create', 'role', 'reaper', '--verb=get,watch', '--resource=pods']);
    await cluster.kubectl([
      '-n',
      NS,
      'create',
      'rolebinding',
      'reaper',
      '--role=reaper',
      `--serviceaccount=${NS}:reaper`,
    ]);
    const token = (await cluster.kubectl(['-n', NS, 'create', 'token', 'reaper'])).trim();
    await cluster.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: POD, namespace: NS },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'worker',
              image: clusterLayout.busyboxImage,
              imagePullPolicy: 'Never',
              command: ['/bin/busybox', 'sh', '-c', `sleep ${WORKER_SECONDS}; exit 3`],
            },
          ],
        },
      }),
    });
    await cluster.kubectl(['-n', NS, 'wait', '--for=condition=Ready', `pod/${POD}`, '--timeout=120s'], {
      timeoutMs: 130_000,
    });

    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'local', server: cluster.apiserverUrl, caFile: cluster.caCert }],
      users: [{ name: 'reaper', token }],
      contexts: [{ name: 'local', cluster: 'local', user: 'reaper' }],
      currentContext: 'local',
    });
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const abort = new AbortController();
    const watchesBefore = await podWatchRequests(cluster);
    const terminated = watchWorkerContainer(
      kc,
      { name: POD, namespace: NS, container: 'worker' },
      { log, signal: abort.signal },
    );

    // Other objects change meanwhile, so etcd's revision (and the compaction point) moves past the pod's.
    let churn = 0;
    const churning = setInterval(() => {
      churn++;
      void cluster.kubectlResult([
        '-n',
        NS,
        'create',
        'configmap',
        `churn-${churn}`,
        `--from-literal=n=${churn}`,
      ]);
    }, 500);
    try {
      const seen = await Promise.race([
        terminated,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the worker end was missed')), 150_000),
        ),
      ]);
      expect(seen).toMatchObject({ exitCode: 3, reason: 'Error' });
    } finally {
      clearInterval(churning);
      abort.abort();
    }
    const expired = lines.filter((l) => l.includes('resourceVersion expired (410 Gone)')).length;
    const watches = (await podWatchRequests(cluster)) - watchesBefore;
    // 50 s of 5–10 s watches: at least four watches, and at least one resumed into a compacted version.
    expect(watches).toBeGreaterThanOrEqual(4);
    expect(expired).toBeGreaterThanOrEqual(1);
    // The pod really ended that way (the kubelet's record, not the reaper's).
    const status = await waitUntil(
      async () =>
        (await cluster.kubectl(['-n', NS, 'get', 'pod', POD, '-o', 'jsonpath={.status.phase}'])).trim() ===
        'Failed',
      { what: 'the pod to be Failed', timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(status).toBe(true);
  }, 300_000);
});
