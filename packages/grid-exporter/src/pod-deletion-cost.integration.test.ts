import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  type Grid,
  type KubeApiDouble,
  startGrid,
  startKubeApiDouble,
  waitUntil,
} from '@scrapegrid/test-support';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  type ExporterProcess,
  sample,
  startExporterProcess,
  writePoolsFile,
} from './exporter-process.test-helper.ts';
import { POD_DELETION_COST } from './pod-deletion-costs.ts';

/**
 * The exporter program with its pod-deletion-cost controller on, a real Grid (one node), and the
 * Kubernetes API-server DOUBLE (test-support's startKubeApiDouble) holding a
 * pod whose IP is the node's address. The pod's cost follows the node: idle low, busy high.
 */
let grid: Grid;
let api: KubeApiDouble;
let exporter: ExporterProcess;

beforeAll(async () => {
  [grid, api] = await Promise.all([startGrid({ nodes: 1, node: { maxSessions: 1 } }), startKubeApiDouble()]);
  const nodeHost = new URL(grid.nodes[0]!.url).hostname;
  api.addPod({
    metadata: { name: 'chrome-0', namespace: 'selenium', labels: { app: 'chrome' } },
    status: { podIP: nodeHost },
  });
  const poolsFile = await writePoolsFile(
    '- name: chrome\n  browserName: chrome\n  platformName: linux\n  kubernetes: {namespace: selenium, podSelector: app=chrome}\n',
  );
  // The double speaks plain http; client-node accepts http only with skip-TLS-verify set.
  const kubeconfig = join(dirname(poolsFile), 'kubeconfig.yaml');
  await writeFile(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: double, cluster: {server: "${api.url}", insecure-skip-tls-verify: true}}]
users: [{name: exporter, user: {token: ${api.token}}}]
contexts: [{name: double, context: {cluster: double, user: exporter}}]
current-context: double
`,
  );
  exporter = await startExporterProcess(grid.hubUrl, poolsFile, ['--pod-deletion-cost', 'true'], {
    KUBECONFIG: kubeconfig,
  });
});
afterAll(async () => {
  await exporter?.stop();
  await grid?.stop();
  await api?.close();
});

const cost = () => api.pods.get('selenium/chrome-0')?.metadata.annotations?.[POD_DELETION_COST];

test('idle pod low, busy pod high, back to low; only list and merge-patch calls', async () => {
  await waitUntil(() => cost() === '-1000', { what: 'the idle pod marked -1000', timeoutMs: 30_000 }).catch(
    (error) => {
      throw new Error(
        `${error.message}\nrequests: ${JSON.stringify(api.requests)}\nexporter: ${exporter.process.output().slice(-3000)}`,
      );
    },
  );
  const response = await fetch(`${grid.hubUrl}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ capabilities: { alwaysMatch: { browserName: 'chrome', platformName: 'linux' } } }),
    signal: AbortSignal.timeout(60_000),
  });
  const sessionId = ((await response.json()) as { value: { sessionId: string } }).value.sessionId;
  await waitUntil(() => cost() === '1000', { what: 'the busy pod marked 1000', timeoutMs: 30_000 });
  await fetch(`${grid.hubUrl}/session/${sessionId}`, {
    method: 'DELETE',
    signal: AbortSignal.timeout(30_000),
  });
  await waitUntil(() => cost() === '-1000', { what: 'the pod marked idle again', timeoutMs: 30_000 });

  const calls = new Set(
    api.requests.map((r) => `${r.method} ${r.method === 'PATCH' ? r.contentType : r.path.split('?')[0]}`),
  );
  expect([...calls].sort()).toEqual([
    'GET /api/v1/namespaces/selenium/pods',
    'PATCH application/merge-patch+json',
  ]);
  expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(3);
  expect(sample(await exporter.metrics(), 'selenium_grid_pod_deletion_cost_patches_total{result="ok"}')).toBe(
    3,
  );
});
