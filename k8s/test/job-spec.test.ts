import { parseJobSpec, parseWorkerConfig } from '@scrapegrid/worker';
import { beforeAll, describe, expect, test } from 'vitest';
import type { K8sObject } from './k8s-object.ts';
import { containersIn, envValue, podTemplates } from './pod-templates.ts';
import { type RenderedVariant, renderedVariants } from './rendered-variants.ts';

let scrapeVariants: RenderedVariant[];
beforeAll(async () => {
  // overlays/demo is the scrape Job with the demo's spec: held to the same checks.
  scrapeVariants = (await renderedVariants()).filter(
    (v) => v.overlay.startsWith('scrape-job') || v.overlay === 'demo',
  );
}, 120_000);

describe("the scrape overlays' job spec and worker settings", () => {
  test('the ConfigMap job spec is valid for the worker, with the Secret as its environment', () => {
    expect(scrapeVariants.length).toBeGreaterThanOrEqual(3);
    for (const variant of scrapeVariants) {
      const { spec, env } = specAndEnv(variant.objects);
      expect(() => parseJobSpec(spec, { env, sourceName: `${variant.name} job-spec.yaml` })).not.toThrow();
    }
  });

  test("the worker's validator rejects a broken spec (the check can fail)", () => {
    const { spec, env } = specAndEnv(scrapeVariants[0]!.objects);
    expect(() => parseJobSpec(spec.replace('version: 1', 'version: 2'), { env })).toThrow(/version/);
    const { DB_PASSWORD: _dropped, ...withoutPassword } = env;
    expect(() => parseJobSpec(spec, { env: withoutPassword })).toThrow(/DB_PASSWORD/);
  });

  test("the worker container's args and env are a valid worker configuration", () => {
    for (const variant of scrapeVariants) {
      const { container, pod } = workerOf(variant.objects);
      const env = Object.fromEntries(
        (container.env ?? []).map((e: { name: string; value?: string }) => [e.name, e.value]),
      );
      // Kubernetes sets it in every pod of an Indexed Job (the shards read it with WORKER_SHARDS).
      if (jobSpecOf(pod).completionMode === 'Indexed') env.JOB_COMPLETION_INDEX = '0';
      const config = parseWorkerConfig(container.args ?? [], env);
      expect(config.command).toBe('run');
      expect(config.specPath).toBe(env.WORKER_SPEC_PATH);
    }
  });

  test('the spec is mounted where the worker reads it, and its output lies on the shared disk volume', () => {
    for (const variant of scrapeVariants) {
      const { container, pod } = workerOf(variant.objects);
      const specPath = envValue(container, 'WORKER_SPEC_PATH')!;
      const specMount = (container.volumeMounts ?? []).find(
        (m: { mountPath: string }) => specPath === `${m.mountPath}/job-spec.yaml`,
      );
      const volume = pod.spec.volumes.find((v: { name: string }) => v.name === specMount?.name);
      expect(volume?.configMap?.name, variant.name).toBe('scrape-job-spec');

      const parsed = parseJobSpec(specAndEnv(variant.objects).spec, { env: specAndEnv(variant.objects).env });
      const tmp = (container.volumeMounts ?? []).find((m: { mountPath: string }) => m.mountPath === '/tmp');
      expect(parsed.output.dir.startsWith('/tmp/')).toBe(true);
      // Embulk reads every file under the output's data/ prefix: the sentinel must live elsewhere.
      const sentinel = envValue(container, 'WORKER_SENTINEL_PATH') ?? '/tmp/scrapegrid/worker-done.json';
      expect(sentinel.startsWith(`${parsed.output.dir}/`), variant.name).toBe(false);
      const tmpVolume = pod.spec.volumes.find((v: { name: string }) => v.name === tmp?.name);
      expect(tmpVolume?.emptyDir, variant.name).toBeDefined();
      expect(tmpVolume?.emptyDir?.medium, variant.name).toBeUndefined();
    }
  });

  test("the spec's Grid is the pod's own hub, and it asks for no more sessions than the node has", () => {
    // scrape-job-shared-grid has no hub of its own: shared-grid-job.test.ts checks its Grid.
    const withOwnGrid = scrapeVariants.filter((v) =>
      containersIn(v.objects).some((c) => c.container.name === 'hub'),
    );
    expect(withOwnGrid.map((v) => v.name)).toEqual(
      scrapeVariants.map((v) => v.name).filter((name) => name !== 'scrape-job-shared-grid'),
    );
    for (const variant of withOwnGrid) {
      const { spec, env } = specAndEnv(variant.objects);
      const parsed = parseJobSpec(spec, { env });
      const all = containersIn(variant.objects);
      const hub = all.find((c) => c.container.name === 'hub');
      const chrome = all.find((c) => c.container.name === 'chrome');
      const gridUrl = new URL(
        envValue(workerOf(variant.objects).container, 'WORKER_GRID_URL') ?? parsed.browser.gridUrl,
      );
      expect(['localhost', '127.0.0.1']).toContain(gridUrl.hostname);
      expect(hub?.container.ports.map((p: { containerPort: number }) => String(p.containerPort))).toContain(
        gridUrl.port,
      );
      expect(parsed.limits.concurrency).toBeLessThanOrEqual(
        Number(envValue(chrome?.container, 'SE_NODE_MAX_SESSIONS')),
      );
    }
  });

  test('Embulk gets its whole timeout before the Job deadline ends the pod', () => {
    for (const variant of scrapeVariants) {
      const { container, pod } = workerOf(variant.objects);
      const jobSpec = jobSpecOf(pod);
      const embulkTimeout = Number(envValue(container, 'WORKER_EMBULK_TIMEOUT_SECONDS') ?? 3600);
      expect(jobSpec.activeDeadlineSeconds, variant.name).toBeGreaterThan(embulkTimeout);
      // An Indexed Job may count retries per shard instead of for the whole Job.
      expect(jobSpec.backoffLimit ?? jobSpec.backoffLimitPerIndex, variant.name).toBeGreaterThanOrEqual(0);
    }
  });
});

// --- internal ---

function specAndEnv(objects: readonly K8sObject[]): { spec: string; env: Record<string, string> } {
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'scrape-job-spec');
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'scrape-job-credentials');
  if (configMap === undefined || secret === undefined) throw new Error('no scrape-job-spec / credentials');
  // As the user deploys it: the shipped `replace-me` placeholders replaced (the worker refuses them).
  const data: Record<string, string> = secret.stringData ?? {};
  const env = Object.fromEntries(
    Object.entries(data).map(([name, value]) => [
      name,
      value.startsWith('replace-me') ? `real-${name}` : value,
    ]),
  );
  return { spec: configMap.data['job-spec.yaml'], env };
}

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML is untyped.
function jobSpecOf(pod: { owner: K8sObject }): any {
  return pod.owner.kind === 'CronJob' ? pod.owner.spec.jobTemplate.spec : pod.owner.spec;
}

function workerOf(objects: readonly K8sObject[]) {
  const found = containersIn(objects).find((c) => c.container.name === 'worker');
  if (found === undefined || podTemplates(objects).length === 0) throw new Error('no worker container');
  return found;
}
