// Benchmark: what a selenium pod pays for the copy-in executable. Size of dist/pod-tools; the
// init container's copy (`pod-tools install <fresh dir>`, what `pod-tools-install` runs into its
// emptyDir); the reaper's idle RSS without API access and with a pod watch open (against the
// reaper tests' Kubernetes API double, a stand-in for an apiserver). The numbers before pod-tools
// (two executables, drain-hook and sidecar-reaper) are in packages/pod-tools/README.md.
// usage: pnpm --filter @scrapegrid/pod-tools bench   (RUNS=7 by default)
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { spawnTracked, startKubeApiDouble, waitUntil } from '@scrapegrid/test-support';

const RUNS = Number(process.env.RUNS ?? 7);
const exe = fileURLToPath(new URL('../dist/pod-tools', import.meta.url));
const work = await mkdtemp(join(tmpdir(), 'pod-tools-bench-'));
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

try {
  console.log(`pod-tools executable: ${mib((await stat(exe)).size)} (one per pod)`);

  const copies: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = join(work, `bin-${i}`);
    const started = performance.now();
    execFileSync(exe, ['install', dir], { stdio: 'ignore' });
    copies.push(performance.now() - started);
    await rm(dir, { recursive: true, force: true });
  }
  copies.sort((a, b) => a - b);
  console.log(
    `install (copy + links): median ${copies[Math.floor(RUNS / 2)]?.toFixed(0)} ms, min ${copies[0]?.toFixed(0)}, max ${copies.at(-1)?.toFixed(0)} over ${RUNS}`,
  );

  const sentinel = join(work, 'sentinel', 'done.json');
  console.log(`reaper idle without API access: ${await idleRss([])}`);
  const api = await startKubeApiDouble({ namespace: 'ns', podName: 'pod', dir: work });
  try {
    const args = ['--pod-name', 'pod', '--pod-namespace', 'ns', '--kubeconfig', api.kubeconfigPath];
    console.log(`reaper idle with a pod watch open: ${await idleRss(args, () => api.openWatches() > 0)}`);
  } finally {
    await api.close();
  }

  /** RSS, split into private (anonymous) memory and pages of the executable (shared, evictable). */
  async function idleRss(extra: string[], ready: () => boolean = () => true): Promise<string> {
    const reaper = spawnTracked('sidecar-reaper', exe, [
      'sidecar-reaper',
      ...extra,
      '--sentinel-path',
      sentinel,
      '--',
      'sleep',
      '600',
    ]);
    try {
      await waitUntil(() => reaper.output().includes('waiting for the worker to finish') && ready(), {
        what: 'the reaper to be waiting',
        timeoutMs: 30_000,
      });
      await sleep(2_000); // settled: start-up garbage collected
      const status = await readFile(`/proc/${reaper.pid}/status`, 'utf8');
      const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) * 1024;
      return `RSS ${mib(kib('VmRSS'))} = anonymous ${mib(kib('RssAnon'))} + file ${mib(kib('RssFile'))}`;
    } finally {
      await reaper.stop(5_000);
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
