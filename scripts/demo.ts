// The README's first command: the scrape Job pod's whole life on this machine.
// - the bundled demo site (the fixture shop) on 127.0.0.1:8080 (another port if 8080 is taken);
// - a Selenium hub and a Chromium node, each wrapped by sidecar-reaper as in the Job pod;
// - a private PostgreSQL (Debian's, initdb into a temp dir, a free loopback port);
// - the worker on packages/worker/examples/products.yaml: scrape → JSON Lines → the real Embulk
//   (scripts/install-embulk.sh) → the products table, through the spec's ${env:DB_*} settings;
// - the worker's sentinel makes the reapers drain the node and stop node and hub.
// Prints where the records are, the table's row count and one row as psql shows it; stops
// PostgreSQL on every path. Exits with the worker's exit code.

import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  browserBinaries,
  freePort,
  hubCommandLine,
  installEmbulk,
  nodeCommandLine,
  nodeToml,
  type Postgres,
  spawnTracked,
  startFixtureSite,
  startPostgres,
} from '@scrapegrid/test-support';

const root = join(import.meta.dirname, '..');
const outRoot = join(root, 'demo-output');
// The reaper as it ships: the pod-tools executable, asked for its sidecar-reaper command.
const podTools = join(root, 'packages/pod-tools/dist/pod-tools');
const workerMain = join(root, 'packages/worker/dist/main.js');
const sentinelPath = join(outRoot, 'worker-done.json');
const WORKER_DEADLINE_MS = 10 * 60_000;
const say = (line: string) => console.log(`demo: ${line}`);

await rm(outRoot, { recursive: true, force: true });
await mkdir(outRoot, { recursive: true });

const site = await startFixtureSite({ port: (await isFree(8080)) ? 8080 : 0 });
say(`demo site at ${site.url} (${site.pages} listing pages, 200 products)`);

// The example spec is written for the pod (/tmp/scrapegrid) and the site on 8080: point it here.
const spec = (await readFile(join(root, 'packages/worker/examples/products.yaml'), 'utf8'))
  .replaceAll('http://127.0.0.1:8080', site.url)
  .replaceAll('/tmp/scrapegrid/', `${outRoot}/`);
const specPath = join(outRoot, 'products.yaml');
await writeFile(specPath, spec);

const bin = browserBinaries();
const hubPort = await freePort();
const publish = await freePort();
const subscribe = await freePort();
const nodePort = await freePort();
const metricsPort = await freePort();
const hubUrl = `http://127.0.0.1:${hubPort}`;
const nodeUrl = `http://127.0.0.1:${nodePort}`;
const nodeConfig = join(outRoot, 'node.toml');
await writeFile(nodeConfig, nodeToml(bin.chromium, bin.chromedriver, 2));

const reaped = (name: string, reaperFlags: string[], line: { command: string; args: string[] }) =>
  spawnTracked(
    name,
    podTools,
    ['sidecar-reaper', '--sentinel-path', sentinelPath, ...reaperFlags, '--', line.command, ...line.args],
    {
      cwd: outRoot,
      onOutput: (chunk) => logReaperLines(name, chunk),
    },
  );
const eventBus = { publish, subscribe };
const hub = reaped(
  'hub',
  ['--wait-nodes-gone-hub-url', hubUrl],
  hubCommandLine(bin, { port: hubPort, eventBus }),
);
const node = reaped(
  'chrome',
  ['--drain-node-url', nodeUrl, '--drain-grid-url', hubUrl],
  nodeCommandLine(bin, { port: nodePort, hubUrl, eventBus, configPath: nodeConfig }),
);
say(`hub ${hubUrl} and chrome node ${nodeUrl} started under sidecar-reaper`);

let exitCode = 1;
let pg: Postgres | undefined;
try {
  const embulk = await installEmbulk();
  pg = await startPostgres();
  say(
    `PostgreSQL ${pg.binDir.split('/').at(-2)} at 127.0.0.1:${pg.port} (data in ${pg.dir}); Embulk ${embulk.version} from ${embulk.dir}`,
  );
  const started = Date.now();
  const worker = spawnTracked('worker', process.execPath, [workerMain, 'run', specPath], {
    env: {
      WORKER_GRID_URL: hubUrl,
      WORKER_SENTINEL_PATH: sentinelPath,
      WORKER_METRICS_PORT: String(metricsPort),
      WORKER_EMBULK_JAR: embulk.jar,
      // Readable lines among the demo's own, not raw JSON records (in a container it is JSON).
      WORKER_LOG_FORMAT: 'pretty',
      ...embulk.env,
      // What the example spec reads through ${env:…}; in the Job they come from a Secret.
      DB_HOST: pg.host,
      DB_PORT: String(pg.port),
      DB_USER: pg.user,
      DB_PASSWORD: pg.password,
      DB_NAME: pg.database,
    },
    onOutput: (chunk) => process.stdout.write(chunk),
  });
  // The worker bounds its own waits (Grid ready, pages, Embulk); the demo's deadline is the
  // backstop, like the Job's activeDeadlineSeconds: SIGTERM lets the worker write its sentinel.
  const workerExit = await within(
    worker.exited,
    WORKER_DEADLINE_MS,
    'the worker did not finish in 10 minutes',
  ).catch(async (error: unknown) => {
    await worker.stop(25_000);
    throw error;
  });
  exitCode = workerExit.code ?? 1;
  say(`worker exited ${exitCode} after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const [hubExit, nodeExit] = await within(
    Promise.all([hub.exited, node.exited]),
    60_000,
    'the reapers did not stop hub and node within 60 s',
  );
  say(`sidecar-reaper stopped the chrome node (exit ${nodeExit.code}) and the hub (exit ${hubExit.code})`);
  await report(exitCode, pg);
} catch (error) {
  say(`failed: ${(error as Error).message}`);
  exitCode = exitCode || 1;
} finally {
  await Promise.all([hub.stop(2_000), node.stop(2_000), pg?.stop()]);
  await site.close();
}
process.exit(exitCode);

// --- internal ---

async function report(workerExitCode: number, db: Postgres): Promise<void> {
  const manifestPath = join(outRoot, 'output', 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    status: string;
    records: number;
    pages: number;
    files: Array<{ path: string; records: number }>;
    failures: unknown[];
  };
  say(`status: ${manifest.status}, pages read: ${manifest.pages}, failed pages: ${manifest.failures.length}`);
  say(`${manifest.records} records as JSON Lines in ${join(outRoot, 'output', 'data')}/`);
  for (const file of manifest.files) say(`  ${file.path}: ${file.records} records`);
  say(`manifest: ${manifestPath}`);
  say(`sentinel: ${sentinelPath}: ${(await readFile(sentinelPath, 'utf8')).trim()}`);
  if (workerExitCode !== 0) return;
  // What the table holds, as psql shows it (the same psql anyone can point at the server).
  const psql = (args: string[]) =>
    promisify(execFile)(join(db.binDir, 'psql'), ['-X', ...args], {
      env: { ...process.env, ...db.env() },
      timeout: 30_000,
    });
  const count = (await psql(['-At', '-c', 'select count(*) from products'])).stdout.trim();
  say(`Embulk loaded the records into PostgreSQL: table products has ${count} rows; one of them:`);
  const row = await psql(['-x', '-c', 'select * from products order by id limit 1']);
  process.stdout.write(row.stdout);
}

function logReaperLines(name: string, chunk: string): void {
  // The reaper's own JSON log lines tell the pod's story; the JVMs' chatter stays out of the way.
  for (const line of chunk.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string };
      if (entry.msg) say(`[reaper:${name}] ${entry.msg}`);
    } catch {
      // not a log line of the reaper's
    }
  }
}

/** Resolves as `promise` does, or rejects with `message` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
