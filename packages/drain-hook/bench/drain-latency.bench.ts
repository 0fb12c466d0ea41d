// Benchmark: how long a browser pod waits, after its last session ends, before it may go.
// drain-hook against the source article's shell preStop hook, on the same real Grid, runs
// interleaved; plus drain-hook's start-up time and peak memory.
//
//   pnpm --filter @scrapegrid/drain-hook bench        (DRAIN_HOOK_BENCH_RUNS=5 by default)
import { setTimeout as sleep } from 'node:timers/promises';
import { createGridClient } from '@scrapegrid/selenium-grid';
import { freePort, type GridNode, spawnTracked, startGrid, waitUntil } from '@scrapegrid/test-support';
import { chromeSession } from '../test/chrome-session.ts';
import { HOOK_ARGS, HOOK_BINARY } from '../test/hook-process.ts';

const RUNS = Number(process.env.DRAIN_HOOK_BENCH_RUNS ?? 5);
const STARTUP_RUNS = 10;

type HookKind = 'drain-hook' | 'article shell hook';

const grid = await startGrid({ nodes: 0 });
try {
  const latency: Record<HookKind, number[]> = { 'drain-hook': [], 'article shell hook': [] };
  const peakKb: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    for (const kind of ['drain-hook', 'article shell hook'] as const) {
      const { freeAfterMs, maxRssKb } = await _oneDrain(kind);
      latency[kind].push(freeAfterMs);
      if (maxRssKb !== undefined) peakKb.push(maxRssKb);
      console.log(
        `run ${run}/${RUNS} ${kind.padEnd(18)} pod free ${Math.round(freeAfterMs)} ms after the last session`,
      );
    }
  }

  const startup = await _startupTimes();
  const ours = _median(latency['drain-hook']);
  const article = _median(latency['article shell hook']);
  console.log('');
  console.log(`last session ended -> pod free to go (median of ${RUNS}, min-max):`);
  for (const kind of ['drain-hook', 'article shell hook'] as const) {
    const values = latency[kind];
    console.log(
      `  ${kind.padEnd(20)} ${_ms(_median(values)).padStart(9)}   (${_ms(Math.min(...values))} - ${_ms(Math.max(...values))})`,
    );
  }
  console.log(`  ratio article/drain-hook: ${(article / ours).toFixed(0)}x`);
  console.log(`drain-hook start-up (median of ${STARTUP_RUNS}):`);
  console.log(`  spawn -> exit of --help:                       ${_ms(startup.help)}`);
  console.log(`  spawn -> exit with no node (already gone):     ${_ms(startup.alreadyGone)}`);
  console.log(`  process start -> first log line (in-process):  ${_ms(startup.firstLine)}`);
  console.log(
    `drain-hook peak memory (max RSS over the drains): ${(Math.max(...peakKb) / 1024).toFixed(1)} MiB`,
  );
} finally {
  await grid.stop();
}

// --- internal ---

async function _oneDrain(kind: HookKind): Promise<{ freeAfterMs: number; maxRssKb?: number }> {
  const node = await grid.addNode({ maxSessions: 1 });
  try {
    const driver = await chromeSession(grid.hubUrl);
    await driver.get('data:text/html,<p>work</p>');
    const hook = _startHook(kind, node);
    await waitUntil(async () => (await _availability(node)) === 'DRAINING', {
      what: `${kind} to drain ${node.url}`,
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    await sleep(500);
    await driver.quit();
    const sessionEnded = performance.now();
    const exit = await Promise.race([hook.exited, sleep(60_000).then(() => undefined)]);
    if (exit?.code !== 0)
      throw new Error(`${kind} did not exit 0: ${JSON.stringify(exit)}\n${hook.output()}`);
    const freeAfterMs = performance.now() - sessionEnded;
    const rss = /maxrss_kb=(\d+)/.exec(hook.output())?.[1];
    return { freeAfterMs, maxRssKb: rss ? Number(rss) : undefined };
  } finally {
    await node.process.stop(2_000);
  }
}

function _startHook(kind: HookKind, node: GridNode) {
  if (kind === 'drain-hook') {
    return spawnTracked(
      'drain-hook',
      '/usr/bin/time',
      [
        '-f',
        'maxrss_kb=%M',
        HOOK_BINARY,
        ...HOOK_ARGS,
        '--node-url',
        node.url,
        '--grid-url',
        grid.hubUrl,
        '--deadline-seconds',
        '60',
      ],
      { env: { DRAIN_HOOK_LOG_MIRROR: '' } },
    );
  }
  // The article's hook, word for word except the port and the pgrep pattern, which must match this
  // node's command line (with the article's pattern pgrep finds nothing and the hook waits for no one).
  const script =
    `curl --request POST 'localhost:${node.port}/se/grid/node/drain' --header 'X-REGISTRATION-SECRET;'; ` +
    `tail --pid=$(pgrep -f '[n]ode --host 127.0.0.1 --port ${node.port} ') -f /dev/null; sleep 30s`;
  return spawnTracked('article-shell-hook', 'bash', ['-c', script]);
}

async function _availability(node: GridNode): Promise<string | undefined> {
  const client = createGridClient({ url: node.url, timeoutMs: 2_000 });
  try {
    return (await client.nodeStatus()).availability;
  } finally {
    await client.close();
  }
}

async function _startupTimes(): Promise<{ help: number; alreadyGone: number; firstLine: number }> {
  const help: number[] = [];
  const gone: number[] = [];
  const firstLine: number[] = [];
  const port = await freePort();
  for (let i = 0; i < STARTUP_RUNS; i++) {
    let started = performance.now();
    await spawnTracked('drain-hook', HOOK_BINARY, [...HOOK_ARGS, '--help']).exited;
    help.push(performance.now() - started);

    started = performance.now();
    const proc = spawnTracked(
      'drain-hook',
      HOOK_BINARY,
      [...HOOK_ARGS, '--node-url', `http://127.0.0.1:${port}`],
      {
        env: { DRAIN_HOOK_LOG_MIRROR: '' },
      },
    );
    await proc.exited;
    gone.push(performance.now() - started);
    const first = JSON.parse(proc.output().split('\n')[0]!) as { elapsedMs: number };
    firstLine.push(first.elapsedMs);
  }
  return { help: _median(help), alreadyGone: _median(gone), firstLine: _median(firstLine) };
}

function _median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function _ms(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}
