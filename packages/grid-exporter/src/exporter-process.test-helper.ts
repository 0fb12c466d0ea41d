import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnTracked, type TrackedProcess, waitUntil } from '@scrapegrid/test-support';

/** Test helper: the real exporter program (`node src/main.ts serve`) on a free port. */
export interface ExporterProcess {
  readonly url: string;
  readonly process: TrackedProcess;
  metrics(): Promise<string>;
  pool(name: string): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export const MAIN_TS = fileURLToPath(new URL('./main.ts', import.meta.url));

export async function writePoolsFile(yaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'grid-exporter-pools-'));
  const file = join(dir, 'pools.yaml');
  await writeFile(file, yaml);
  return file;
}

export async function startExporterProcess(
  gridUrl: string,
  poolsFile: string,
  extraArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<ExporterProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnTracked(
    'grid-exporter',
    process.execPath,
    [
      MAIN_TS,
      'serve',
      '--grid-url',
      gridUrl,
      '--pools',
      poolsFile,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--poll-interval',
      '1',
      '--timeout',
      '1',
      ...extraArgs,
    ],
    { env },
  );
  try {
    await waitUntil(
      async () => {
        if (!child.isRunning()) throw new Error(`exporter exited: ${child.output()}`);
        return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok;
      },
      { what: 'the exporter to serve /healthz', timeoutMs: 60_000, intervalMs: 100 },
    );
  } catch (error) {
    await child.stop(2_000);
    throw error;
  }
  return {
    url,
    process: child,
    metrics: async () => (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(3000) })).text(),
    pool: async (name) => {
      const response = await fetch(`${url}/pools/${name}`, { signal: AbortSignal.timeout(3000) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    stop: async () => {
      await child.stop(5_000);
    },
  };
}

/** The value of one sample in exposition text, e.g. sample(text, 'selenium_grid_up'). */
export function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}
