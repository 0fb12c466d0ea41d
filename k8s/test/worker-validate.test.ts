import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTracked } from '@scrapegrid/test-support';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { containerEnv } from './container-env.ts';
import { containersIn } from './pod-templates.ts';
import { type RenderedVariant, renderedVariants } from './rendered-variants.ts';

let variant: RenderedVariant;
let dir: string;
beforeAll(async () => {
  variant = (await renderedVariants()).find((v) => v.name === 'scrape-job')!;
  dir = await mkdtemp(join(tmpdir(), 'scrapegrid-k8s-spec-'));
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * The worker program itself (`worker validate <spec.yaml>`, exit 0 valid / 2 invalid), run on the
 * ConfigMap's spec with the environment the worker container gets (its env and the Secret).
 */
test('`worker validate` accepts the ConfigMap spec in the worker container environment', async () => {
  expect(await validate(specText())).toMatchObject({ code: 0 });
}, 60_000);

test('`worker validate` exits 2 on a spec the cluster would fail on', async () => {
  const broken = specText().replace('concurrency: 2', 'concurrency: many');
  expect(broken).not.toBe(specText());
  expect(await validate(broken)).toMatchObject({ code: 2 });
}, 60_000);

// --- internal ---

const WORKER_MAIN = join(dirname(fileURLToPath(import.meta.resolve('@scrapegrid/worker'))), 'main.ts');

function specText(): string {
  const configMap = variant.objects.find(
    (o) => o.kind === 'ConfigMap' && o.metadata.name === 'scrape-job-spec',
  );
  return configMap?.data['job-spec.yaml'];
}

async function validate(spec: string): Promise<{ code: number | null; output: string }> {
  const file = join(dir, `job-spec-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, spec);
  const worker = containersIn(variant.objects).find((c) => c.container.name === 'worker')!;
  const run = spawnTracked('worker-validate', process.execPath, [WORKER_MAIN, 'validate', file], {
    // As the user deploys it: the shipped `replace-me` placeholders replaced (the worker refuses them).
    env: Object.fromEntries(
      Object.entries(containerEnv(variant.objects, worker)).map(([name, value]) => [
        name,
        value.startsWith('replace-me') ? `real-${name}` : value,
      ]),
    ),
  });
  const timer = setTimeout(() => void run.stop(1_000), 45_000);
  const exit = await run.exited;
  clearTimeout(timer);
  await run.stop(0);
  return { code: exit.code, output: run.output() };
}
