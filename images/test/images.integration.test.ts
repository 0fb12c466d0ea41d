import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  type Postgres,
  product,
  startFixtureSite,
  startGrid,
  startPostgres,
  waitUntil,
} from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildahResult, type ImageConfig, imageConfig } from './buildah.ts';
import { ImageContainer } from './image-container.ts';
import { runCommand } from './run-command.ts';
import { mib, treeSize } from './tree-size.ts';

// Builds every image with scripts/build-images.sh against locally built stand-in bases (no registry
// is reachable here), then runs each one the way its pod does: read-only root filesystem, only the
// volumes writable, as the image's non-root user. Cold (no stand-ins, empty pnpm store) this takes
// about ten minutes on two cores; warm, a few.

const REPO = new URL('../..', import.meta.url).pathname;
const IMAGES = ['pod-tools', 'grid-exporter', 'worker'] as const;
type ImageName = (typeof IMAGES)[number];
const VERSION = '0.1.0';
const REVISION = 'smoke';
const STANDIN_DEBIAN = 'localhost/standin/debian:bookworm-slim';
// What each final stage starts from (the real base's stand-in, or nothing).
const BASES = {
  'pod-tools': 'scratch',
  'grid-exporter': 'scratch',
  worker: 'localhost/standin/node:24.21.0-bookworm-slim', // NODE_IMAGE's stand-in
} as const;
const EMBULK_VERSION = '0.11.4';
/** What the example spec reads through ${env:DB_*}; values for validation only. */
const DB_ENV = {
  DB_HOST: '127.0.0.1',
  DB_PORT: '5432',
  DB_USER: 'scraper',
  DB_PASSWORD: 'unused',
  DB_NAME: 'shop',
};
const BUILD_TIMEOUT_MS = 45 * 60_000;

const ref = (name: ImageName) => `scrapegrid/${name}:${VERSION}-${REVISION}`;
const sizes: string[] = [];
const configs = new Map<ImageName, ImageConfig>();
let workDir: string;
let buildOutput = '';
let buildCode: number | null = null;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'scrapegrid-images-'));
  const started = Date.now();
  const result = await runCommand(
    join(REPO, 'scripts/build-images.sh'),
    [
      '--tool',
      'buildah',
      '--jobs',
      '2',
      '--standin-bases',
      '--version',
      VERSION,
      '--revision',
      REVISION,
      ...IMAGES,
    ],
    {
      cwd: REPO,
      timeoutMs: BUILD_TIMEOUT_MS,
      // The build's own progress lines, so a slow CI run shows where it is.
      onOutput: (chunk) => {
        for (const line of chunk.split('\n'))
          if (/build-(images|sea|standin-bases):/.test(line)) console.log(line);
      },
    },
  );
  buildOutput = result.output;
  buildCode = result.code;
  console.log(
    `images: build-images.sh exited ${result.code} after ${Math.round((Date.now() - started) / 1000)} s`,
  );
  if (result.code === 0) for (const name of IMAGES) configs.set(name, await imageConfig(ref(name)));
}, BUILD_TIMEOUT_MS + 60_000);

afterAll(async () => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  if (sizes.length > 0) console.log(`image sizes (uncompressed):\n${sizes.join('\n')}`);
});

test('build-images.sh builds every image from its Dockerfile against the stand-in bases', () => {
  expect(buildCode, buildOutput.slice(-6000)).toBe(0);
  for (const name of IMAGES) expect(buildOutput).toContain(`build-images: built ${name} `);
});

describe.each(IMAGES)('%s image', (name) => {
  test('has an exec-form entrypoint, a numeric non-root user and the OCI labels', () => {
    const config = configOf(name);
    expect(config.Entrypoint?.length).toBeGreaterThan(0);
    expect(config.Entrypoint?.[0]).toMatch(/^\//);
    const [uid, gid] = (config.User ?? '').split(':');
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    expect(gid).toMatch(/^\d+$/);
    expect(config.Labels?.['org.opencontainers.image.version']).toBe(VERSION);
    expect(config.Labels?.['org.opencontainers.image.revision']).toBe(REVISION);
    expect(config.Labels).toHaveProperty(['org.opencontainers.image.source']);
  });

  test('leaves no package manager caches, build trees or sources (nor a shell when distroless); prints its size', async () => {
    const container = await ImageContainer.open(ref(name), { readOnly: false });
    try {
      for (const path of [
        'root/.npm',
        'root/.cache',
        'root/.local/share/pnpm',
        'home/node/.npm',
        'pnpm-store',
        'src',
      ]) {
        expect(existsSync(join(container.root, path)), path).toBe(false);
      }
      expect(existsSync(join(container.root, 'app/node_modules'))).toBe(false);
      for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
        const left = existsSync(join(container.root, dir))
          ? readdirSync(join(container.root, dir)).filter((f) => f.endsWith('.deb') || f.endsWith('Packages'))
          : [];
        expect(left, dir).toEqual([]);
      }
      const base = BASES[name];
      // The distroless-style images hold no shell and no package manager at all.
      if (base === 'scratch') {
        for (const path of ['bin/sh', 'usr/bin/sh', 'bin/bash', 'usr/bin/apt-get', 'usr/local/bin/npm']) {
          expect(existsSync(join(container.root, path)), path).toBe(false);
        }
      }
      const total = await treeSize(container.root);
      const baseSize = base === 'scratch' ? 0 : await sizeOf(base);
      // The biggest file of each image: the single executable, or the Node binary we copied in.
      const executable = [name, 'node']
        .map((file) => join(container.root, 'usr/local/bin', file))
        .find((path) => base === 'scratch' && existsSync(path));
      const extra = executable ? `; ${executable.split('/').pop()} ${mib(statSync(executable).size)}` : '';
      sizes.push(
        `  ${name.padEnd(15)} ${mib(total).padStart(10)} = base ${base} ${mib(baseSize)} + ours ${mib(total - baseSize)}${extra}`,
      );
    } finally {
      await container.close();
    }
  });
});

// How each copied executable proves it works in a Selenium-like container: real behaviour, no Node.
const COPY_IN_PROBES = {
  'pod-tools': [{ argv: ['--help'], code: 0, output: /drain-hook and\s+sidecar-reaper/ }],
  'drain-hook': [
    { argv: ['--help'], code: 0, output: /usage/i },
    // Nothing listens on the node port: the node is already gone, nothing to drain.
    {
      argv: ['--node-url', 'http://127.0.0.1:1', '--grid-url', '', '--log-mirror', ''],
      code: 0,
      output: /gone/i,
    },
  ],
  'sidecar-reaper': [
    { argv: ['--help'], code: 0, output: /usage: sidecar-reaper/ },
    // No sentinel yet: it runs its child and returns the child's exit code.
    { argv: ['--sentinel-path', '/tmp/scrapegrid/worker-done.json', '--', 'sh', '-c', 'exit 7'], code: 7 },
  ],
} as const;

describe('pod-tools copy-in image', () => {
  test('its default command copies the executable into the shared volume and links both programs; each runs without Node as uid 1200', async () => {
    const name = 'pod-tools';
    const config = configOf(name);
    const shared = join(workDir, `${name}-bin`);
    const tmp = join(workDir, `${name}-tmp`);
    mkdirSync(shared);
    mkdirSync(join(tmp, 'scrapegrid'), { recursive: true });
    chmodSync(shared, 0o777); // an emptyDir is world-writable
    chmodSync(join(tmp, 'scrapegrid'), 0o777);
    const image = await ImageContainer.open(ref(name), { mountPoints: ['/scrapegrid/bin'] });
    try {
      expect(config.Cmd).toEqual(['install', '/scrapegrid/bin']);
      const install = await image.run([...(config.Entrypoint ?? []), ...(config.Cmd ?? [])], {
        volumes: { [shared]: '/scrapegrid/bin' },
      });
      expect(install.code, install.output).toBe(0);
    } finally {
      await image.close();
    }

    const copy = statSync(join(shared, name));
    // The file belongs to whoever wrote it: the image's user, not root.
    expect(`${copy.uid}:${copy.gid}`).toBe(config.User);
    expect(copy.mode & 0o111).toBe(0o111);
    expect(readdirSync(shared).sort()).toEqual(['drain-hook', 'pod-tools', 'sidecar-reaper']);
    for (const program of ['drain-hook', 'sidecar-reaper'])
      expect(readlinkSync(join(shared, program))).toBe(name);

    // The Selenium images have no Node; their uid is 1200. A Debian base without Node stands in.
    const target = await ImageContainer.open(STANDIN_DEBIAN, { mountPoints: ['/scrapegrid/bin'] });
    try {
      const volumes = { [shared]: '/scrapegrid/bin', [tmp]: '/tmp' };
      const noNode = await target.run(['sh', '-c', 'command -v node'], { user: '1200:1200', volumes });
      expect(noNode.code).not.toBe(0);
      for (const [program, probe] of Object.entries(COPY_IN_PROBES).flatMap(([p, probes]) =>
        probes.map((probe) => [p, probe] as const),
      )) {
        const run = await target.run([`/scrapegrid/bin/${program}`, ...probe.argv], {
          user: '1200:1200',
          volumes,
        });
        expect(run.code, run.output).toBe(probe.code);
        if ('output' in probe) expect(run.output).toMatch(probe.output);
      }
    } finally {
      await target.close();
    }
  });
});

describe('grid-exporter image', () => {
  test('serves /healthz and /metrics from a read-only root as uid 65532 under tini, and stops on SIGTERM', async () => {
    const config = configOf('grid-exporter');
    const port = await freePort();
    const noGrid = `http://127.0.0.1:${await freePort()}`;
    const image = await ImageContainer.open(ref('grid-exporter'));
    const server = image.start('grid-exporter image', [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])], {
      env: {
        GRID_EXPORTER_GRID_URL: noGrid,
        GRID_EXPORTER_POOLS_FILE: '/app/examples/pools.yaml',
        GRID_EXPORTER_PORT: String(port),
      },
    });
    try {
      await waitUntil(
        async () => {
          if (!server.isRunning()) throw new Error(`exited early:\n${server.output()}`);
          return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
        },
        { what: 'grid-exporter /healthz in its image', timeoutMs: 60_000, intervalMs: 250 },
      );
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/^# TYPE /m);

      const processes = image.processes();
      const node = processes.find(
        (p) => p.command.includes('/app/dist/main.js') && !p.command.includes('tini'),
      );
      const tini = processes.find((p) => p.command.startsWith('/usr/bin/tini'));
      expect(node, JSON.stringify(processes)).toBeDefined();
      expect(tini, JSON.stringify(processes)).toBeDefined();
      expect(node?.ppid).toBe(tini?.pid);
      expect(node?.uid).toBe(65532);

      // The kubelet signals PID 1; tini must pass it on and the exporter shut down cleanly.
      process.kill(tini!.pid, 'SIGTERM');
      const exit = await Promise.race([
        server.exited,
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000)),
      ]);
      expect(exit, server.output()).toEqual({ code: 0, signal: null });
    } finally {
      await server.stop(2_000);
      await image.close();
    }
  });
});

describe('worker image', () => {
  test('validates a job spec from a read-only root as uid 1000; its JRE runs the Embulk from Maven Central', async () => {
    const config = configOf('worker');
    const env = Object.fromEntries(
      (config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
    );
    expect(env.LANG).toBe('C.UTF-8');
    expect(env.WORKER_EMBULK_JAR).toBe(`/opt/embulk/embulk-${EMBULK_VERSION}.jar`);
    expect(env.EMBULK_HOME).toBe('/opt/embulk/home');

    const specs = join(workDir, 'specs');
    const tmp = join(workDir, 'worker-tmp');
    mkdirSync(specs);
    mkdirSync(tmp);
    chmodSync(tmp, 0o1777);
    writeFileSync(
      join(specs, 'products.yaml'),
      readFileSync(join(REPO, 'packages/worker/examples/products.yaml')),
    );
    writeFileSync(join(specs, 'broken.yaml'), 'version: 1\nname: broken\n');
    const volumes = { [specs]: '/etc/scrapegrid', [tmp]: '/tmp' };
    const image = await ImageContainer.open(ref('worker'), { mountPoints: ['/etc/scrapegrid'] });
    try {
      const valid = await image.run(
        [...(config.Entrypoint ?? []), 'validate', '/etc/scrapegrid/products.yaml'],
        {
          volumes,
          env: DB_ENV,
        },
      );
      expect(valid.code, valid.output).toBe(0);
      const invalid = await image.run(
        [...(config.Entrypoint ?? []), 'validate', '/etc/scrapegrid/broken.yaml'],
        {
          volumes,
        },
      );
      expect(invalid.code, invalid.output).toBe(2);

      const uid = await image.run(['node', '-e', 'console.log(process.getuid())'], { volumes });
      expect(uid.output.trim()).toBe('1000');

      // Embulk answers --version with exit code 255 (its "command line not run" code).
      const java = await image.run(['java', '-jar', env.WORKER_EMBULK_JAR ?? '', '--version'], { volumes });
      expect(java.code, java.output).toBe(255);
      expect(java.output).toContain(`Embulk ${EMBULK_VERSION}`);

      // The plugins are selected for `run` and lie in the home's Maven repository.
      const properties = readFileSync(join(image.root, 'opt/embulk/home/embulk.properties'), 'utf8');
      expect(properties).toContain('plugins.output.pgcopy=maven:org.scrapegrid:pgcopy:0.1.0');
      expect(properties).toContain('plugins.parser.json=maven:org.embulk:json:0.11.2');
      expect(
        existsSync(
          join(
            image.root,
            'opt/embulk/home/lib/m2/repository/org/scrapegrid/embulk-output-pgcopy/0.1.0/embulk-output-pgcopy-0.1.0.jar',
          ),
        ),
      ).toBe(true);
      expect(existsSync(join(image.root, 'app/dist/main.js'))).toBe(true);
    } finally {
      await image.close();
    }
  });

  test('runs a whole job from its image: scrapes through a real Grid, its Embulk loads a real PostgreSQL, writes the sentinel', async () => {
    const config = configOf('worker');
    await using grid = await startGrid();
    const site = await startFixtureSite({ products: 20, perPage: 10, renderDelayMs: 50 });
    let pg: Postgres | undefined;
    try {
      pg = await startPostgres();
      const specs = join(workDir, 'run-specs');
      const tmp = join(workDir, 'run-tmp');
      mkdirSync(specs);
      mkdirSync(tmp);
      chmodSync(tmp, 0o1777);
      const example = readFileSync(join(REPO, 'packages/worker/examples/products.yaml'), 'utf8');
      writeFileSync(join(specs, 'job.yaml'), example.replaceAll('http://127.0.0.1:8080', site.url));
      const image = await ImageContainer.open(ref('worker'), { mountPoints: ['/etc/scrapegrid'] });
      try {
        const run = await image.run([...(config.Entrypoint ?? []), ...(config.Cmd ?? [])], {
          volumes: { [specs]: '/etc/scrapegrid', [tmp]: '/tmp' },
          env: {
            WORKER_SPEC_PATH: '/etc/scrapegrid/job.yaml',
            WORKER_GRID_URL: grid.hubUrl,
            WORKER_METRICS_PORT: '0',
            DB_HOST: pg.host,
            DB_PORT: String(pg.port),
            DB_USER: pg.user,
            DB_PASSWORD: pg.password,
            DB_NAME: pg.database,
          },
          timeoutMs: 240_000,
        });
        expect(run.code, run.output.slice(-4000)).toBe(0);
        expect(run.output).toContain('Committed.');
        expect(run.output).not.toContain(pg.password);
      } finally {
        await image.close();
      }
      const sentinel = JSON.parse(readFileSync(join(tmp, 'scrapegrid/worker-done.json'), 'utf8'));
      expect(sentinel).toMatchObject({ status: 'succeeded', exitCode: 0 });
      const dataDir = join(tmp, 'scrapegrid/output/data');
      const records = readdirSync(dataDir)
        .flatMap((file) => readFileSync(join(dataDir, file), 'utf8').split('\n'))
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as { id: number; description: string });
      expect(records.map((r) => r.id).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      // Non-ASCII text survives the image's locale (LANG=C.UTF-8).
      expect(records.find((r) => r.id === 7)?.description).toBe(product(7).description);
      // The image's Embulk loaded exactly those records into PostgreSQL.
      expect(await pg.psql('select count(*), min(id), max(id), count(distinct id) from products')).toBe(
        '20|1|20|20\n',
      );
      expect(await pg.psql('select description from products where id = 7')).toBe(
        `${product(7).description}\n`,
      );
    } finally {
      await pg?.stop();
      await site.close();
    }
  });

  test('the build stops when a staged Embulk plugin file does not match embulk/embulk.lock', async () => {
    const staged = join(
      REPO,
      `images/worker/embulk-${EMBULK_VERSION}/home/lib/m2/repository/org/embulk/embulk-parser-json/0.11.2/embulk-parser-json-0.11.2.jar`,
    );
    const original = readFileSync(staged);
    try {
      writeFileSync(staged, Buffer.concat([original, Buffer.from('tampered')]));
      const result = await buildahResult(
        [
          'bud',
          '--isolation',
          'chroot',
          '--layers=false',
          '--pull=never',
          '--target',
          'embulk',
          '--build-arg',
          'JRE_IMAGE=localhost/standin/eclipse-temurin:17-jre',
          '--file',
          join(REPO, 'images/worker/Dockerfile'),
          REPO,
        ],
        10 * 60_000,
      );
      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(/embulk-parser-json-0\.11\.2\.jar: FAILED/);
    } finally {
      writeFileSync(staged, original);
    }
  });
});

// --- internal ---

function configOf(name: ImageName): ImageConfig {
  const config = configs.get(name);
  if (!config) throw new Error(`${name} was not built (see the first test)`);
  return config;
}

async function sizeOf(image: string): Promise<number> {
  const container = await ImageContainer.open(image, { readOnly: false });
  try {
    return await treeSize(container.root);
  } finally {
    await container.close();
  }
}
