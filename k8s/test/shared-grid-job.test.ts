import {
  checkShardedSpec,
  expandStartUrls,
  parseJobSpec,
  parseWorkerConfig,
  shardStartUrls,
} from '@scrapegrid/worker';
import { beforeAll, describe, expect, test } from 'vitest';
import type { K8sObject } from './k8s-object.ts';
import { containersIn, envValue } from './pod-templates.ts';
import { indexedJobShardsPolicy } from './policies/indexed-job-shards-policy.ts';
import { BESIDE_A_GRID, type RenderedVariant, renderedVariants } from './rendered-variants.ts';

let variants: readonly RenderedVariant[];
beforeAll(async () => {
  variants = await renderedVariants();
}, 120_000);

/** overlays/scrape-job-shared-grid: the worker alone, as an Indexed Job on the shared hub. */
describe('scrape-job-shared-grid', () => {
  test('one container, the worker, sized as base/scrape-job ships it; no pod Grid or its Secret', () => {
    const objects = objectsOf('scrape-job-shared-grid');
    const containers = containersIn(objects);
    expect(containers.map((c) => c.where)).toEqual(['Job/scrape-job worker']);
    expect(containers[0]!.container.resources).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/scrape-job-spec',
      'Job/scrape-job',
      'NetworkPolicy/scrape-job-to-selenium-hub',
      'NetworkPolicy/selenium-hub-from-scrape-job',
      'Secret/scrape-job-credentials',
    ]);
    expect(job().spec.template.spec.volumes.map((v: { name: string }) => v.name)).toEqual([
      'tmp',
      'job-spec',
      'embulk-config',
    ]);
  });

  test('an Indexed Job: 4 shards, 2 at a time, each retried once on its own after its failed pod is gone', () => {
    const spec = job().spec;
    expect({
      completionMode: spec.completionMode,
      completions: spec.completions,
      parallelism: spec.parallelism,
      backoffLimitPerIndex: spec.backoffLimitPerIndex,
      podReplacementPolicy: spec.podReplacementPolicy,
      backoffLimit: spec.backoffLimit,
    }).toEqual({
      completionMode: 'Indexed',
      completions: 4,
      parallelism: 2,
      backoffLimitPerIndex: 1,
      podReplacementPolicy: 'Failed',
      backoffLimit: undefined,
    });
    expect(envValue(worker(), 'WORKER_SHARDS')).toBe('4');
  });

  test.each(BESIDE_A_GRID['scrape-job-shared-grid'] ?? [])(
    "its Grid is %s's hub Service, with the router credentials the hub checks",
    (grid) => {
      const objects = objectsOf(grid);
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'selenium-hub')!;
      const hubPort = service.spec.ports.find((p: { name: string }) => p.name === 'hub').port;
      const url = new URL(envValue(worker(), 'WORKER_GRID_URL')!);
      expect(`${url.hostname}:${url.port}`).toBe(`${service.metadata.name}:${hubPort}`);
      const hub = containersIn(objects).find(
        (c) => c.container.name === 'hub' && c.pod.owner.kind === 'Deployment',
      )!;
      expect(secretRef(worker(), 'WORKER_GRID_USERNAME')).toBe(
        secretRef(hub.container, 'SE_ROUTER_USERNAME'),
      );
      expect(secretRef(worker(), 'WORKER_GRID_PASSWORD')).toBe(
        secretRef(hub.container, 'SE_ROUTER_PASSWORD'),
      );
      expect(secretRef(worker(), 'WORKER_GRID_PASSWORD')).toBe('selenium-grid-router/SE_ROUTER_PASSWORD');
      expect(objects.some((o) => o.kind === 'Secret' && o.metadata.name === 'selenium-grid-router')).toBe(
        true,
      );
    },
  );

  test('the worker reads its pod environment as shard i of 4 on the hub, logging in with the Secret', () => {
    const env = podEnv(2);
    const config = parseWorkerConfig(worker().args, env);
    expect(config.shard).toEqual({ index: 2, count: 4 });
    expect(config.gridUrl).toBe('http://scrapegrid:real-SE_ROUTER_PASSWORD@selenium-hub:4444');
    expect(() => parseWorkerConfig(worker().args, { ...env, JOB_COMPLETION_INDEX: '4' })).toThrow(
      'JOB_COMPLETION_INDEX 4 is not below WORKER_SHARDS 4',
    );
  });

  test('its spec: the listing as a page range, no pagination, 4 sessions; each shard takes its own 100 pages', () => {
    const spec = parseJobSpec(specText(), { env: podEnv(0) });
    expect(spec.limits.concurrency).toBe(4);
    expect(spec.pagination).toBeUndefined();
    expect(spec.browser.gridUrl).toBe('http://selenium-hub:4444');
    const all = expandStartUrls(spec.start);
    expect(all).toHaveLength(400);
    const shares = [0, 1, 2, 3].map((index) => {
      expect(() => checkShardedSpec(spec, { index, count: 4 })).not.toThrow();
      return shardStartUrls(all, { index, count: 4 });
    });
    expect(shares.map((s) => s.length)).toEqual([100, 100, 100, 100]);
    expect(shares.flat().sort()).toEqual([...all].sort());
    expect(shares[1]!.slice(0, 2)).toEqual([
      'https://shop.example.com/products?page=2',
      'https://shop.example.com/products?page=6',
    ]);
  });

  test("the summary goes to the container's termination message file", () => {
    expect(envValue(worker(), 'WORKER_TERMINATION_MESSAGE_PATH')).toBe('/dev/termination-log');
    expect(worker().terminationMessagePath).toBe('/dev/termination-log');
    expect(worker().terminationMessagePolicy).toBe('File');
  });
});

test('the shards policy refuses WORKER_SHARDS in a Job that is not Indexed', () => {
  const objects = structuredClone(objectsOf('scrape-job')) as K8sObject[];
  const scrapeJob = objects.find((o) => o.kind === 'Job')!;
  scrapeJob.spec.template.spec.containers
    .find((c: { name: string }) => c.name === 'worker')
    .env.push({ name: 'WORKER_SHARDS', value: '4' });
  expect(indexedJobShardsPolicy.check(objects)).toEqual([
    'Job/scrape-job worker: WORKER_SHARDS 4 outside an Indexed Job',
  ]);
  expect(indexedJobShardsPolicy.check(objectsOf('scrape-job'))).toEqual([]);
});

// --- internal ---

function objectsOf(name: string): readonly K8sObject[] {
  const found = variants.find((v) => v.name === name);
  if (found === undefined) throw new Error(`variant ${name} not rendered`);
  return found.objects;
}

function job(): K8sObject {
  return objectsOf('scrape-job-shared-grid').find((o) => o.kind === 'Job')!;
}

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML is untyped.
function worker(): any {
  return job().spec.template.spec.containers[0];
}

function specText(): string {
  return objectsOf('scrape-job-shared-grid').find((o) => o.kind === 'ConfigMap')!.data['job-spec.yaml'];
}

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML is untyped.
function secretRef(container: any, name: string): string | undefined {
  const key = (container.env ?? []).find((e: { name: string }) => e.name === name)?.valueFrom?.secretKeyRef;
  return key && `${key.name}/${key.key}`;
}

/**
 * The worker's environment as Kubernetes builds it in pod `index`: its Secret (envFrom), the
 * literal values, the router credentials from the Grid overlay's Secret (placeholders replaced, as
 * the user does) and JOB_COMPLETION_INDEX.
 */
function podEnv(index: number): Record<string, string> {
  const secret = (name: string, from: string) =>
    objectsOf(from).find((o) => o.kind === 'Secret' && o.metadata.name === name)!.stringData as Record<
      string,
      string
    >;
  const real = (data: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, v.startsWith('replace-me') ? `real-${k}` : v]),
    );
  const credentials = real(secret('scrape-job-credentials', 'scrape-job-shared-grid'));
  const router = real(secret('selenium-grid-router', 'grid-keda'));
  const env: Record<string, string> = { ...credentials, JOB_COMPLETION_INDEX: String(index) };
  for (const e of worker().env as {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef: { key: string } };
  }[]) {
    env[e.name] = e.value ?? router[e.valueFrom!.secretKeyRef.key]!;
  }
  return env;
}
