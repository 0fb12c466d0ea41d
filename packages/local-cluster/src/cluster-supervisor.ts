// The local single-node Kubernetes cluster for people trying the overlays (scripts/cluster.sh runs
// these through main.ts):
//   up     start it in the background (a supervisor process holds it) and print its kubeconfig
//   down   stop it and remove everything it made; also cleans up after a supervisor that died
//   status say whether one runs
//   serve  (internal) the supervisor: starts the cluster, stops it on SIGUSR2
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { findLeftoverProcesses, TEST_RUN_ENV, waitUntil } from '@scrapegrid/process-group';
import { CLUSTER_RUNS_DIR, startLocalCluster } from './cluster.ts';
import { clusterBinaries } from './cluster-binaries.ts';
import { writeSysctls } from './cluster-host-state.ts';
import { acquireClusterLock } from './cluster-lock.ts';
import { sweepCluster } from './cluster-sweep.ts';

/** Where the supervisor says how its start went (pid, run id, kubeconfig or error). */
const STATE = '/run/scrapegrid-cluster.json';
/** The supervisor's output: the start's progress lines and, on failure, the processes' last lines. */
const LOG = '/var/log/scrapegrid-cluster.log';
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const say = (line: string) => console.error(`cluster: ${line}`);

interface State {
  pid: number;
  runId: string;
  kubeconfig?: string;
  error?: string;
}

const readState = (): State | undefined =>
  existsSync(STATE) ? (JSON.parse(readFileSync(STATE, 'utf8')) as State) : undefined;
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts the cluster under a detached supervisor and prints `export KUBECONFIG=…`; exit code. */
export async function clusterUp(): Promise<number> {
  const current = readState();
  if (current && isAlive(current.pid)) {
    if (current.kubeconfig) {
      say('already running');
      console.log(`export KUBECONFIG=${current.kubeconfig}`);
      return 0;
    }
  }
  clusterBinaries(); // names a missing build before anything starts
  const runId = `cluster-${Date.now().toString(36)}`;
  const logFd = openSync(LOG, 'w');
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, [TEST_RUN_ENV]: runId },
  });
  child.unref();
  say(`starting (supervisor pid ${child.pid}, log ${LOG})`);
  const state = await waitUntil(
    () => {
      const s = readState();
      if (s && s.pid === child.pid && (s.kubeconfig || s.error)) return s;
      if (child.exitCode !== null)
        return { pid: -1, runId, error: `the supervisor exited ${child.exitCode}: see ${LOG}` };
      return undefined;
    },
    { what: 'the local cluster to start', timeoutMs: 900_000, intervalMs: 500 },
  );
  if (state.error) {
    say(`failed to start: ${state.error.split('\n')[0]} (full log: ${LOG})`);
    return 1;
  }
  say('ready. Use it with:');
  console.log(`export KUBECONFIG=${state.kubeconfig}`);
  return 0;
}

/** The supervisor (`serve`): holds the cluster until SIGUSR2. */
export async function serveCluster(): Promise<void> {
  const runId = process.env[TEST_RUN_ENV] ?? `pid-${process.pid}`;
  let cluster: Awaited<ReturnType<typeof startLocalCluster>>;
  try {
    cluster = await startLocalCluster({ log: (line) => console.log(`${new Date().toISOString()} ${line}`) });
  } catch (error) {
    console.log(String(error instanceof Error ? error.stack : error));
    await writeFile(STATE, JSON.stringify({ pid: process.pid, runId, error: String(error) }));
    process.exit(1);
  }
  await writeFile(STATE, JSON.stringify({ pid: process.pid, runId, kubeconfig: cluster.kubeconfig }));
  console.log(`${new Date().toISOString()} running; KUBECONFIG=${cluster.kubeconfig}`);
  process.once('SIGUSR2', async () => {
    const report = await cluster.stop();
    console.log(`${new Date().toISOString()} stopped; swept ${JSON.stringify(report)}`);
    await rm(STATE, { force: true });
    process.exit(0);
  });
  // Keep the event loop alive until asked to stop.
  setInterval(() => {}, 1 << 30);
}

/** Stops the cluster and sweeps what any run left (a dead supervisor's too); exit code. */
export async function clusterDown(): Promise<number> {
  const state = readState();
  if (state && isAlive(state.pid)) {
    process.kill(state.pid, 'SIGUSR2');
    for (let i = 0; i < 240 && isAlive(state.pid); i++) await sleep(500);
  }
  // Whatever is left (a supervisor that died or hung): its processes, then the machine state.
  if (state) {
    if (isAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
    for (const p of await findLeftoverProcesses(state.runId)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  const lock = await acquireClusterLock(60_000);
  try {
    const bins = (() => {
      try {
        return clusterBinaries();
      } catch {
        return undefined;
      }
    })();
    const runs = existsSync(CLUSTER_RUNS_DIR) ? await readdir(CLUSTER_RUNS_DIR) : [];
    for (const run of runs) {
      const runDir = join(CLUSTER_RUNS_DIR, run);
      const saved = await readFile(join(runDir, 'state.json'), 'utf8').catch(() => '');
      await sweepCluster({ runDir, kubeProxy: bins?.kubeProxy });
      if (saved) await writeSysctls((JSON.parse(saved) as { sysctls: Record<string, string> }).sysctls);
      say(`removed ${runDir}`);
    }
  } finally {
    await lock.stop(500);
  }
  await rm(STATE, { force: true });
  say('stopped; nothing of it is left');
  return 0;
}

/** The kubeconfig of the cluster `up` started, if it runs. */
export function runningKubeconfig(): string | undefined {
  const s = readState();
  return s && isAlive(s.pid) ? s.kubeconfig : undefined;
}

/** One line: running with its kubeconfig, or not running. */
export function clusterStatus(): string {
  const s = readState();
  return s && isAlive(s.pid) && s.kubeconfig ? `running: export KUBECONFIG=${s.kubeconfig}` : 'not running';
}
