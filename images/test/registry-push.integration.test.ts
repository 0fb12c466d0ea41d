import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildah, buildahResult } from './buildah.ts';
import { type LocalRegistry, startLocalRegistry } from './local-registry.ts';
import { runCommand, runOk } from './run-command.ts';

// The deploy path end to end against a real registry (Distribution 2.8 on 127.0.0.1): build
// pod-tools (the smallest image), push it with build-images.sh --push --kustomize-images, and check
// that the printed images: block names the digest the registry answers for the tag, and that
// kustomize turns it into the image reference a cluster would pull. The build uses the stand-in
// bases through plain --build-arg (--standin-bases itself refuses to push: they must never be
// published; this registry lives for the test only).

const REPO = new URL('../..', import.meta.url).pathname;
const IMAGE = 'pod-tools';
const VERSION = '0.1.0';
const REVISION = 'registry-test';
const NAMESPACE = 'test';
const BUILD_TIMEOUT_MS = 40 * 60_000;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

let workDir: string;
let registry: LocalRegistry | undefined;
let prefix: string;
let buildCode: number | null = null;
let buildOutput = '';

const repository = () => `${NAMESPACE}/scrapegrid/${IMAGE}`;
const localTags = () => [
  `${prefix}/scrapegrid/${IMAGE}:${VERSION}`,
  `${prefix}/scrapegrid/${IMAGE}:${VERSION}-${REVISION}`,
];

beforeAll(
  async () => {
    workDir = mkdtempSync(join(tmpdir(), 'scrapegrid-registry-push-'));
    registry = await startLocalRegistry(join(workDir, 'registry'));
    prefix = `${registry.host}/${NAMESPACE}`;
    // Cached by their inputs: usually already built by the images test.
    await runOk(join(REPO, 'images/standin/build-standin-bases.sh'), [], {
      cwd: REPO,
      timeoutMs: 20 * 60_000,
    });
    const standinArgs = (
      await runOk(join(REPO, 'images/standin/build-standin-bases.sh'), ['--print-build-args'], {
        cwd: REPO,
        timeoutMs: 30_000,
      })
    )
      .split('\n')
      .filter((line) => line.startsWith('--build-arg='))
      .flatMap((line) => ['--build-arg', line.slice('--build-arg='.length)]);
    const started = Date.now();
    // Started in workDir with a relative FILE: the block lands beside the caller, not the repo root.
    const result = await runCommand(
      join(REPO, 'scripts/build-images.sh'),
      [
        '--tool',
        'buildah',
        '--registry',
        prefix,
        '--push',
        '--insecure-registry',
        '--kustomize-images',
        'images.yaml',
        '--version',
        VERSION,
        '--revision',
        REVISION,
        ...standinArgs,
        IMAGE,
      ],
      {
        cwd: workDir,
        timeoutMs: BUILD_TIMEOUT_MS,
        onOutput: (chunk) => {
          for (const line of chunk.split('\n')) if (/build-(images|sea):/.test(line)) console.log(line);
        },
      },
    );
    buildCode = result.code;
    buildOutput = result.output;
    console.log(
      `registry-push: build-images.sh exited ${result.code} after ${Math.round((Date.now() - started) / 1000)} s`,
    );
  },
  BUILD_TIMEOUT_MS + 25 * 60_000,
);

afterAll(async () => {
  await registry?.stop();
  // The pushed image's local tags (a full vfs copy each build); rmi of the last tag removes it.
  if (prefix) for (const tag of localTags()) await buildahResult(['rmi', tag], 120_000);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** The block build-images.sh wrote, and the digest in it. */
function writtenBlock(): { text: string; digest: string } {
  expect(buildCode, buildOutput.slice(-6000)).toBe(0);
  const text = readFileSync(join(workDir, 'images.yaml'), 'utf8');
  const digest = /^ {4}digest: (\S+)$/m.exec(text)?.[1] ?? '';
  expect(digest).toMatch(DIGEST);
  return { text, digest };
}

test('build-images.sh --push --kustomize-images writes and prints one images: entry naming the pushed image by digest', () => {
  const { text, digest } = writtenBlock();
  expect(text).toBe(
    [
      "# scripts/build-images.sh --kustomize-images: the registry's digest of each pushed image",
      'images:',
      `  # ${prefix}/scrapegrid/${IMAGE}:${VERSION}-${REVISION}`,
      `  - name: scrapegrid/${IMAGE}`,
      `    newName: ${prefix}/scrapegrid/${IMAGE}`,
      `    digest: ${digest}`,
      '',
    ].join('\n'),
  );
  expect(buildOutput).toContain(text);
  expect(buildOutput).toContain(
    `build-images: pushed ${prefix}/scrapegrid/${IMAGE}:${VERSION}-${REVISION} as ${digest}`,
  );
});

test("the digest is the registry's for both tags, and not the local storage's", async () => {
  const { digest } = writtenBlock();
  expect(await registry?.manifestDigest(repository(), `${VERSION}-${REVISION}`)).toBe(digest);
  expect(await registry?.manifestDigest(repository(), VERSION)).toBe(digest);
  // The local manifest names uncompressed layers; the pushed one names the compressed blobs.
  const local = (
    await buildah(['inspect', '--type', 'image', '--format', '{{.FromImageDigest}}', localTags()[1] ?? ''])
  ).trim();
  expect(local).toMatch(DIGEST);
  expect(local).not.toBe(digest);
});

test('the manifest under that digest is this build: its config carries our revision and title labels', async () => {
  const { digest } = writtenBlock();
  const manifest = (await registry?.getJson(repository(), `manifests/${digest}`)) as {
    config: { digest: string };
    layers: unknown[];
  };
  expect(manifest.layers.length).toBeGreaterThan(0);
  const config = (await registry?.getJson(repository(), `blobs/${manifest.config.digest}`)) as {
    config: { Labels: Record<string, string> };
  };
  expect(config.config.Labels['org.opencontainers.image.revision']).toBe(REVISION);
  expect(config.config.Labels['org.opencontainers.image.version']).toBe(VERSION);
  expect(config.config.Labels['org.opencontainers.image.title']).toBe(`scrapegrid ${IMAGE}`);
});

test('kubectl kustomize with the block renders the Deployment image as newName@digest', async () => {
  const { text, digest } = writtenBlock();
  const dir = join(workDir, 'kustomization');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'deployment.yaml'),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: pod-tools-check',
      'spec:',
      '  selector:',
      '    matchLabels: {app: pod-tools-check}',
      '  template:',
      '    metadata:',
      '      labels: {app: pod-tools-check}',
      '    spec:',
      '      initContainers:',
      '        - name: pod-tools-install',
      `          image: scrapegrid/${IMAGE}:${VERSION}`,
      '      containers:',
      '        - name: hub',
      '          image: selenium/hub:4.48.0-20260905',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n${text}`,
  );
  const rendered = await runOk('kubectl', ['kustomize', dir], { timeoutMs: 60_000 });
  const images = [...rendered.matchAll(/^\s+(?:- )?image: (\S+)$/gm)].map((match) => match[1]);
  // kustomize prints containers before initContainers. Only the image the block names is
  // rewritten; the other keeps its tag.
  expect(images).toEqual(['selenium/hub:4.48.0-20260905', `${prefix}/scrapegrid/${IMAGE}@${digest}`]);
});
