// Benchmark: how fast the reaper reacts to the sentinel, what it costs while it waits, and its
// memory, against a named baseline measured in the same run on the same machine:
//   "shell poll loop": `while [ ! -f $S ]; do sleep 1; done; kill -TERM $child` — the wrapper
//   people write by hand for Job sidecars (and what a 1 s poll-only watcher amounts to).
// Latency = sentinel rename → the child's SIGTERM trap running (bash $EPOCHREALTIME, no fork).
// usage: pnpm --filter @scrapegrid/sidecar-reaper bench   (RUNS=50 IDLE_SECONDS=60 by default)
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeSentinel } from '@scrapegrid/sentinel';
import { spawnTracked, type TrackedProcess, waitUntil } from '@scrapegrid/test-support';
import { reaperCommand, startReaper } from '../test/reaper-process.ts';

const RUNS = Number(process.env.RUNS ?? 50);
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 60);
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

const work = await mkdtemp(join(tmpdir(), 'reaper-bench-'));
console.log(`sidecar-reaper bench: ${RUNS} runs, idle ${IDLE_SECONDS} s, reaper as ${reaperCommand().kind}`);

try {
  const ours = await latencyRuns('sidecar-reaper', (s, out) =>
    startReaper(['--sentinel-path', s, '--', 'bash', '-c', child(out)]),
  );
  const base = await latencyRuns('shell poll loop', (s, out) => startBaseline(s, out));
  const idleOurs = await idle(
    'sidecar-reaper',
    (s, out) => startReaper(['--sentinel-path', s, '--', 'bash', '-c', child(out)]),
    false,
  );
  const idleBase = await idle('shell poll loop', (s, out) => startBaseline(s, out), true);

  const row = (name: string, l: Stats, i: Idle) =>
    `${name.padEnd(16)} ${l.median.toFixed(1).padStart(8)} ${l.p99.toFixed(1).padStart(8)} ${l.max.toFixed(1).padStart(8)} ${i.cpuPercent.toFixed(3).padStart(9)} ${(i.peakKiB / 1024).toFixed(1).padStart(9)}`;
  console.log('\nwho               median ms   p99 ms   max ms  idle CPU%  peak MiB');
  console.log(row('sidecar-reaper', ours, idleOurs));
  console.log(row('shell poll loop', base, idleBase));
  console.log(
    `\nratios (baseline / reaper): latency median ${(base.median / ours.median).toFixed(1)}x, p99 ${(base.p99 / ours.p99).toFixed(1)}x; ` +
      `idle CPU ${(idleOurs.cpuPercent / Math.max(idleBase.cpuPercent, 0.0001)).toFixed(1)}x the baseline's; ` +
      `memory ${(idleOurs.peakKiB / idleBase.peakKiB).toFixed(1)}x the baseline's`,
  );
  console.log(
    `budget: react within 200 ms → p99 ${ours.p99 <= 200 ? 'met' : 'NOT met'} (${ours.p99.toFixed(1)} ms)`,
  );
} finally {
  await rm(work, { recursive: true, force: true });
}

// --- internal ---

interface Stats {
  median: number;
  p99: number;
  max: number;
}
interface Idle {
  cpuPercent: number;
  peakKiB: number;
}
type Starter = (sentinel: string, out: string) => TrackedProcess;

/** The supervised child: records when its SIGTERM trap runs, then exits. */
function child(out: string): string {
  return `trap 'echo $EPOCHREALTIME > ${out}; exit 0' TERM; echo ready; sleep 100000 & wait`;
}

function startBaseline(sentinel: string, out: string): TrackedProcess {
  const script = `bash -c '${child(out).replaceAll("'", `'"'"'`)}' & c=$!
while [ ! -f "${sentinel}" ]; do sleep 1; done
kill -TERM $c; wait $c`;
  return spawnTracked('poll-loop', 'bash', ['-c', script]);
}

async function latencyRuns(name: string, start: Starter): Promise<Stats> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = join(work, `${name.replaceAll(' ', '-')}-${i}`);
    await mkdir(dir, { recursive: true });
    const sentinel = join(dir, 'done.json');
    const out = join(dir, 'sigterm-at');
    const p = start(sentinel, out);
    try {
      await waitUntil(() => p.output().split('\n').includes('ready'), {
        what: `${name} child`,
        timeoutMs: 30_000,
        intervalMs: 10,
      });
      await sleep(150); // the reaper arms its watch right after starting the child
      const temporary = join(dir, '.done.json.tmp');
      await writeFile(temporary, JSON.stringify(makeSentinel(0)));
      const renamedAt = performance.timeOrigin + performance.now();
      await rename(temporary, sentinel);
      const trappedAt = await waitUntil(
        async () => Number((await readFile(out, 'utf8').catch(() => '')).trim()) * 1000 || undefined,
        { what: `${name} child SIGTERM`, timeoutMs: 30_000, intervalMs: 5 },
      );
      samples.push(trappedAt - renamedAt);
      await waitUntil(() => !p.isRunning(), { what: `${name} to exit`, timeoutMs: 30_000, intervalMs: 10 });
    } finally {
      await p.stop(1_000);
    }
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] as number;
  const stats = { median: at(0.5), p99: at(0.99), max: samples.at(-1) as number };
  console.log(
    `${name}: ${samples.length} runs, median ${stats.median.toFixed(1)} ms, p99 ${stats.p99.toFixed(1)} ms`,
  );
  return stats;
}

async function idle(name: string, start: Starter, countReapedChildren: boolean): Promise<Idle> {
  const dir = join(work, `idle-${name.replaceAll(' ', '-')}`);
  await mkdir(dir, { recursive: true });
  const p = start(join(dir, 'done.json'), join(dir, 'sigterm-at'));
  try {
    await waitUntil(() => p.output().split('\n').includes('ready'), {
      what: `${name} child`,
      timeoutMs: 30_000,
      intervalMs: 10,
    });
    await sleep(2_000); // past start-up
    const before = await cpuTicks(p.pid, countReapedChildren);
    await sleep(IDLE_SECONDS * 1000);
    const after = await cpuTicks(p.pid, countReapedChildren);
    const status = await readFile(`/proc/${p.pid}/status`, 'utf8');
    const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    const cpuPercent = ((after - before) / TICKS_PER_SECOND / IDLE_SECONDS) * 100;
    console.log(
      `${name}: idle CPU ${cpuPercent.toFixed(3)} % over ${IDLE_SECONDS} s, peak RSS ${(peakKiB / 1024).toFixed(1)} MiB`,
    );
    return { cpuPercent, peakKiB };
  } finally {
    await p.stop(1_000);
  }
}

/** utime + stime of the process (+ its reaped children's, for the loop's `sleep`s). */
async function cpuTicks(pid: number, withReapedChildren: boolean): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // Fields after "(comm)": state=0 … utime=11 stime=12 cutime=13 cstime=14.
  return (
    (f[11] as number) + (f[12] as number) + (withReapedChildren ? (f[13] as number) + (f[14] as number) : 0)
  );
}
