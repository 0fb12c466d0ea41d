import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTracked } from '@scrapegrid/test-support';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { K8S_DIR } from './rendered-variants.ts';

/**
 * The commands k8s/README.md gives for reading a sharded crawl's summary (scrape-job-shared-grid),
 * run with this machine's kubectl on pods and a Job as the API server returns them, offline:
 * `kubectl label --local -o jsonpath` prints each object of a file through the same jsonpath
 * printer `kubectl get` uses. `--local` prints a List's items one by one, so the per-pod template
 * is run on each pod; `kubectl get pods -l` returns a List, hence `{range .items[*]}…{end}` around
 * it in the README, kubectl's documented way to print a List's items.
 */
const PER_POD =
  '{.metadata.annotations.batch\\.kubernetes\\.io/job-completion-index}{"\\t"}{.status.containerStatuses[0].state.terminated.message}{"\\n"}';
const PODS_COMMAND = `kubectl -n scrapegrid get pods -l job-name=scrape-job -o jsonpath='{range .items[*]}${PER_POD}{end}'`;
const JOB_TEMPLATE = '{.status.completedIndexes} {.status.failedIndexes}{"\\n"}';
const JOB_COMMAND = `kubectl -n scrapegrid get job scrape-job -o jsonpath='${JOB_TEMPLATE}'`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scrapegrid-k8s-jsonpath-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('the README gives both commands exactly as tested here', async () => {
  const readme = await readFile(join(K8S_DIR, 'README.md'), 'utf8');
  expect(readme).toContain(PODS_COMMAND);
  expect(readme).toContain(JOB_COMMAND);
});

test("the per-pod template prints each pod's completion index and its termination message", async () => {
  const summary = (index: number, records: number, exitCode: number) =>
    JSON.stringify({
      job: 'products',
      shardIndex: index,
      shardCount: 4,
      records,
      pagesOk: 100,
      pagesFailed: 0,
      exitCode,
    });
  const pods = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      pod('scrape-job-0-x7k2p', 0, summary(0, 1000, 0)),
      pod('scrape-job-1-q9w4z', 1, summary(1, 980, 1)),
    ],
  };
  expect(await kubectlLocal(pods, PER_POD)).toBe(`0\t${summary(0, 1000, 0)}\n1\t${summary(1, 980, 1)}\n`);
});

test('the Job template prints the indexes that succeeded and those that failed (after backoffLimitPerIndex)', async () => {
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'scrape-job', namespace: 'scrapegrid' },
    spec: {
      completionMode: 'Indexed',
      completions: 4,
      template: {
        spec: { restartPolicy: 'Never', containers: [{ name: 'worker', image: 'scrapegrid/worker:0.1.0' }] },
      },
    },
    status: { completedIndexes: '0,2-3', failedIndexes: '1', succeeded: 3, failed: 2 },
  };
  expect(await kubectlLocal(job, JOB_TEMPLATE)).toBe('0,2-3 1\n');
});

// --- internal ---

function pod(name: string, index: number, message: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'scrapegrid',
      labels: { 'job-name': 'scrape-job', 'batch.kubernetes.io/job-completion-index': String(index) },
      annotations: { 'batch.kubernetes.io/job-completion-index': String(index) },
    },
    spec: { containers: [{ name: 'worker', image: 'scrapegrid/worker:0.1.0' }] },
    status: {
      containerStatuses: [
        { name: 'worker', state: { terminated: { exitCode: JSON.parse(message).exitCode, message } } },
      ],
    },
  };
}

/** `kubectl label --local -f <file> -o jsonpath=<template>` on the object: no cluster is asked. */
async function kubectlLocal(object: unknown, template: string): Promise<string> {
  const file = join(dir, `objects-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(object));
  let stdout = '';
  let stderr = '';
  const kubectl = spawnTracked(
    'kubectl-jsonpath',
    'kubectl',
    ['label', '--local', '-f', file, 'scrapegrid.io/checked=yes', '-o', `jsonpath=${template}`],
    {
      onOutput: (chunk, stream) => {
        if (stream === 'stdout') stdout += chunk;
        else stderr += chunk;
      },
    },
  );
  const timer = setTimeout(() => void kubectl.stop(1_000), 20_000);
  const exit = await kubectl.exited;
  clearTimeout(timer);
  await kubectl.stop(0);
  expect(exit, stderr).toEqual({ code: 0, signal: null });
  return stdout;
}
