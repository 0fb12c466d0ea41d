import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  apiGetWithToken,
  clusterLayout,
  type LocalCluster,
  prepareLocalVolumes,
  startLocalCluster,
} from '@scrapegrid/local-cluster';
import {
  type FixtureSite,
  product,
  spawnTracked,
  startFixtureSite,
  waitUntil,
} from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { K8sObject } from '../k8s-object.ts';
import { renderKustomization } from '../render-kustomization.ts';
import { K8S_DIR } from '../rendered-variants.ts';
import { clusterImages, importClusterImages, SELENIUM_TAG } from './build-cluster-images.ts';
import { kubeList } from './kube-list.ts';
import { fitScrapeJob } from './scrape-job-objects.ts';
import { waitForJobEnd } from './wait-for-job-end.ts';

const NS = 'scrapegrid';
const ROOT = join(K8S_DIR, '..');
/**
 * Our images (scripts/build-images.sh), the selenium stand-ins, and what overlays/demo adds (the demo
 * site, the postgres stand-in), under the names the overlays use.
 */
const IMAGES = [
  'scrapegrid/worker:0.1.0',
  'scrapegrid/pod-tools:0.1.0',
  `selenium/hub:${SELENIUM_TAG}`,
  `selenium/node-chrome:${SELENIUM_TAG}`,
  'scrapegrid/demo-site:0.1.0',
  'postgres:15-bookworm',
];

// biome-ignore lint/suspicious/noExplicitAny: pod JSON from kubectl, read field by field.
type Pod = any;

async function jobPod(cluster: LocalCluster): Promise<Pod> {
  const pods = JSON.parse(
    await cluster.kubectl(['-n', NS, 'get', 'pods', '-l', 'job-name=scrape-job', '-o', 'json']),
  );
  expect(pods.items).toHaveLength(1);
  return pods.items[0];
}

function terminated(pod: Pod, name: string): { exitCode: number; reason: string } | undefined {
  const statuses = [...(pod.status.containerStatuses ?? []), ...(pod.status.initContainerStatuses ?? [])];
  return statuses.find((s: Pod) => s.name === name)?.state?.terminated;
}

/**
 * The worker's own count from its "records written" log line (the pod's emptyDir is gone once the
 * kubelet tears the finished pod down), with the failures it counted.
 */
async function recordsWritten(
  cluster: LocalCluster,
  pod: Pod,
): Promise<{ records: number; failures: number }> {
  const log = await cluster.kubectl(['-n', NS, 'logs', pod.metadata.name, '-c', 'worker']);
  const line = log.split('\n').find((l) => l.includes('"msg":"records written"'));
  if (!line) throw new Error(`the worker never logged "records written":\n${log.slice(-2000)}`);
  const { records, failures } = JSON.parse(line);
  return { records, failures };
}

describe('the scrape Job on a real node', () => {
  let cluster: LocalCluster;
  let site: FixtureSite;
  let demoSpec: string;

  beforeAll(async () => {
    const images = await clusterImages(IMAGES);
    cluster = await startLocalCluster();
    await importClusterImages(cluster, images);
    site = await startFixtureSite({ host: clusterLayout.bridgeIp });
    // The README demo's spec, pointed at the demo site as the pod sees it, without its Embulk
    // section (its PostgreSQL destination is not part of this proof): the JSON Lines are the result.
    const example = await readFile(join(ROOT, 'packages/worker/examples/products.yaml'), 'utf8');
    demoSpec = example.slice(0, example.search(/^embulk:/m)).replaceAll('http://127.0.0.1:8080', site.url);
    await cluster.kubectl(['create', 'namespace', NS]);
  }, 3_600_000);
  afterAll(async () => {
    await cluster?.stop();
    await site?.close();
  }, 120_000);

  const runJob = async (objects: K8sObject[], condition: 'Complete' | 'Failed') => {
    // A Job's template is immutable: whatever an earlier test left goes first.
    await cluster.kubectl(
      ['-n', NS, 'delete', 'job', 'scrape-job', '--ignore-not-found', '--wait=true', '--cascade=foreground'],
      {
        timeoutMs: 180_000,
      },
    );
    const list = kubeList(objects);
    await cluster.kubectl(['apply', '--server-side', '-n', NS, '-f', '-'], { input: list });
    await cluster.kubectl(
      ['-n', NS, 'wait', `--for=condition=${condition}`, 'job/scrape-job', '--timeout=600s'],
      { timeoutMs: 620_000 },
    );
    return list;
  };
  // The overlay's objects but its Namespace (components/namespace): the next test applies into it.
  const deleteJob = async (list: string) => {
    const items = (JSON.parse(list) as { items: K8sObject[] }).items.filter((o) => o.kind !== 'Namespace');
    await cluster.kubectl(['delete', '-n', NS, '--wait=true', '--cascade=foreground', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
      timeoutMs: 180_000,
    });
  };

  test('scrape-job: the worker scrapes through the hub and chrome containers, the reapers stop them, the Job completes', async () => {
    const objects = fitScrapeJob(await renderKustomization(join(K8S_DIR, 'overlays/scrape-job')), {
      jobSpec: demoSpec,
    });
    const list = await runJob(objects, 'Complete');
    const pod = await jobPod(cluster);
    expect(pod.status.phase).toBe('Succeeded');
    expect(terminated(pod, 'pod-tools-install')).toMatchObject({ exitCode: 0 });
    expect(terminated(pod, 'worker')).toMatchObject({ exitCode: 0, reason: 'Completed' });
    // The reapers stopped the Grid after the worker's sentinel: clean exits, not kills.
    expect(terminated(pod, 'hub')).toMatchObject({ exitCode: 0 });
    expect(terminated(pod, 'chrome')).toMatchObject({ exitCode: 0 });
    expect(await recordsWritten(cluster, pod)).toEqual({ records: 200, failures: 0 });
    // All 20 listing pages were fetched from the demo site (one path, page in the query).
    expect(site.hits('/products')).toBeGreaterThanOrEqual(20);
    const chromeLog = await cluster.kubectl(['-n', NS, 'logs', pod.metadata.name, '-c', 'chrome']);
    // The worker's sentinel (not the pod watch) told the reaper: the worker ended normally.
    const done = chromeLog
      .split('\n')
      .filter((l) => l.includes('"msg":"the worker is done; stopping the sidecar"'))
      .map((l) => JSON.parse(l));
    expect(done).toHaveLength(1);
    expect(done[0].source).toBe('sentinel');
    await deleteJob(list);
  }, 900_000);

  test('scrape-job-native: hub and chrome as native sidecars, stopped by the kubelet after the worker; the Job completes', async () => {
    const objects = fitScrapeJob(await renderKustomization(join(K8S_DIR, 'overlays/scrape-job-native')), {
      jobSpec: demoSpec,
    });
    const list = await runJob(objects, 'Complete');
    const pod = await jobPod(cluster);
    expect(pod.status.phase).toBe('Succeeded');
    expect(terminated(pod, 'worker')).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(terminated(pod, 'hub')).toBeDefined();
    expect(terminated(pod, 'chrome')).toBeDefined();
    expect(await recordsWritten(cluster, pod)).toEqual({ records: 200, failures: 0 });
    await deleteJob(list);
  }, 900_000);

  test("a worker the kernel OOM-kills writes no sentinel: the hub's reaper sees it through its pod watch with the overlay's token and writes the sentinel for chrome's, and the pod ends", async () => {
    const objects = fitScrapeJob(await renderKustomization(join(K8S_DIR, 'overlays/scrape-job')), {
      jobSpec: demoSpec,
      workerMemory: '40Mi',
      backoffLimit: 0,
    });
    const list = await runJob(objects, 'Failed');
    const pod = await jobPod(cluster);
    expect(pod.status.phase).toBe('Failed');
    expect(terminated(pod, 'worker')).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(terminated(pod, 'hub')).toMatchObject({ exitCode: 0 });
    expect(terminated(pod, 'chrome')).toMatchObject({ exitCode: 0 });
    const logLines = async (container: string, msg: string) =>
      (await cluster.kubectl(['-n', NS, 'logs', pod.metadata.name, '-c', container]))
        .split('\n')
        .filter((l) => l.includes(`"msg":"${msg}"`))
        .map((l) => JSON.parse(l));
    const done = 'the worker is done; stopping the sidecar';
    // The hub's reaper holds the pod watch's token; chrome's holds none and learns it from the
    // sentinel the hub's reaper wrote for the worker.
    expect(await logLines('hub', done)).toMatchObject([
      { source: 'pod-status', reason: 'OOMKilled', exitCode: 137 },
    ]);
    expect(await logLines('hub', "wrote the sentinel on the worker's behalf")).toMatchObject([
      { sentinelPath: '/tmp/scrapegrid-done/worker-done.json', exitCode: 137 },
    ]);
    expect(await logLines('chrome', done)).toMatchObject([
      { source: 'sentinel', sentinel: { status: 'failed', exitCode: 137 } },
    ]);
    await deleteJob(list);
  }, 900_000);

  test("the reaper's token is refused (403) beyond its Role, and the reaper says what is missing", async () => {
    // The overlay's own ServiceAccount, Role and RoleBinding, exactly as rendered.
    const rbac = (await renderKustomization(join(K8S_DIR, 'overlays/scrape-job'))).filter((o) =>
      ['ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind),
    );
    expect(rbac.map((o) => o.kind).sort()).toEqual(['Role', 'RoleBinding', 'ServiceAccount']);
    await cluster.kubectl(['apply', '--server-side', '-n', NS, '-f', '-'], {
      input: kubeList(rbac),
    });
    const token = (await cluster.kubectl(['-n', NS, 'create', 'token', 'sidecar-reaper'])).trim();
    const otherPod = (
      await cluster.kubectl([
        '-n',
        'kube-system',
        'get',
        'pods',
        '-l',
        'k8s-app=kube-dns',
        '-o',
        'jsonpath={.items[0].metadata.name}',
      ])
    ).trim();
    expect(
      (await apiGetWithToken(cluster, token, `/api/v1/namespaces/kube-system/pods/${otherPod}`)).status,
    ).toBe(403);
    expect((await apiGetWithToken(cluster, token, `/api/v1/namespaces/${NS}/pods`)).status).toBe(403);
    expect((await apiGetWithToken(cluster, token, `/api/v1/namespaces/${NS}/secrets`)).status).toBe(403);
    expect(
      (await apiGetWithToken(cluster, token, `/api/v1/namespaces/${NS}/secrets/scrape-job-credentials`))
        .status,
    ).toBe(403);

    // The reaper itself, pointed at a pod its Role does not cover.
    const dir = await mkdtemp(join(tmpdir(), 'reaper-rbac-'));
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'local',
            cluster: { server: cluster.apiserverUrl, 'certificate-authority': cluster.caCert },
          },
        ],
        users: [{ name: 'reaper', user: { token } }],
        contexts: [{ name: 'local', context: { cluster: 'local', user: 'reaper' } }],
        'current-context': 'local',
      }),
    );
    const reaper = spawnTracked('sidecar-reaper', process.execPath, [
      join(ROOT, 'packages/sidecar-reaper/src/main.ts'),
      '--kubeconfig',
      kubeconfig,
      '--pod-name',
      otherPod,
      '--pod-namespace',
      'kube-system',
      '--sentinel-path',
      join(dir, 'done.json'),
      '--',
      'sleep',
      '120',
    ]);
    try {
      const line = await waitUntil(
        () =>
          reaper
            .output()
            .split('\n')
            .find((l) => l.includes('no permission to read this pod')),
        { what: 'the reaper to report the missing permission', timeoutMs: 30_000, intervalMs: 200 },
      );
      expect(JSON.parse(line).msg).toBe(
        'no permission to read this pod (RBAC get/watch on pods is needed): relying on the sentinel and the Job activeDeadlineSeconds',
      );
    } finally {
      await reaper.stop(2_000);
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
  // Last: it applies the whole overlay (its Namespace included) and leaves it for the cluster's stop.
  test("demo: `kubectl apply -k k8s/overlays/demo` as k8s/README says; the Job's Embulk loads the 200 records into the in-cluster PostgreSQL", async () => {
    // What `bash scripts/cluster.sh images` does besides the images: the PersistentVolume's directory.
    await prepareLocalVolumes();
    await cluster.kubectl(
      ['-n', NS, 'delete', 'job', 'scrape-job', '--ignore-not-found', '--wait=true', '--cascade=foreground'],
      { timeoutMs: 180_000 },
    );
    const overlay = join(K8S_DIR, 'overlays/demo');
    const started = Date.now();
    await cluster.kubectl(['apply', '-k', overlay], { timeoutMs: 120_000 });
    try {
      const ended = await waitForJobEnd(cluster, NS, 'scrape-job', 600_000);
      expect(ended).toBe('Complete');
    } catch (error) {
      const pods = await cluster.kubectl(['-n', NS, 'get', 'pods,pvc', '-o', 'wide']).catch(String);
      const events = await cluster
        .kubectl(['-n', NS, 'get', 'events', '--sort-by=.lastTimestamp'])
        .catch(String);
      throw new Error(
        `the demo Job did not complete: ${(error as Error).message}\n${pods}\n${events.slice(-4000)}`,
      );
    }
    const seconds = (Date.now() - started) / 1000;
    const pod = await jobPod(cluster);
    expect(terminated(pod, 'worker')).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(await recordsWritten(cluster, pod)).toEqual({ records: 200, failures: 0 });
    // k8s/README's command, as a newcomer types it.
    const psql = async (...args: string[]) =>
      (
        await cluster.kubectl(
          ['-n', NS, 'exec', 'demo-postgres-0', '--', 'psql', '-U', 'demo', '-d', 'demo', ...args],
          { timeoutMs: 60_000 },
        )
      ).trim();
    expect(await psql('-At', '-c', 'select count(*) from products')).toBe('200');
    const p = product(7);
    expect(
      await psql('-At', '-c', 'select id, name, url, price, stock, available from products where id = 7'),
    ).toBe(`7|${p.name}|http://demo-site:8080/product/7|${p.price}|${p.stock}|${p.available ? 't' : 'f'}`);
    const readme = await psql(
      '-x',
      '-c',
      'select count(*) from products',
      '-c',
      'select * from products order by id limit 1',
    );
    console.log(
      `demo: applied to Complete in ${seconds.toFixed(1)} s; the README's query prints:\n${readme}`,
    );
  }, 900_000);
});
