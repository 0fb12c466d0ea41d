import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Shard } from '../shard/read-shard.ts';
import type { JobSpec } from '../spec/job-spec.ts';
import { buildEmbulkConfig } from './embulk-config.ts';
import { embulkSecrets } from './embulk-secrets.ts';
import { type EmbulkResult, runEmbulk } from './run-embulk.ts';

export interface LoadWithEmbulkOptions {
  /** A spec with an embulk section. */
  spec: JobSpec;
  /** The sealed JSON Lines (output/data). */
  dataDir: string;
  /** The program, e.g. ['java', '-jar', '/opt/embulk/embulk.jar']. */
  command: readonly string[];
  timeoutMs: number;
  logger: Logger;
  /** What `${env:…}` was resolved from (the names tell which values are secrets); Embulk runs with it. */
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /**
   * Where the resolved config (it holds the database password) is written: a memory-backed
   * directory the browser containers do not mount. Default /dev/shm.
   */
  configDir?: string;
  /** Between SIGTERM and SIGKILL when Embulk is stopped (default 10 s). */
  killGraceMs?: number;
  /** In an Indexed Job: the load replaces this shard's rows only. */
  shard?: Shard;
}

/**
 * Loads the data directory with Embulk: writes the resolved config into a fresh directory (0700)
 * under `configDir` as embulk.yml (0600), runs Embulk on it with only the secret values masked in
 * its lines, and removes the directory on every path: success, failure, timeout, abort, and a
 * forced exit of the worker while Embulk runs. Never throws: a config that cannot be written is a
 * failed result.
 */
export async function loadWithEmbulk(options: LoadWithEmbulkOptions): Promise<EmbulkResult> {
  const { spec, logger } = options;
  if (spec.embulk === undefined) throw new Error('loadWithEmbulk: the spec has no embulk section');
  const parent = options.configDir ?? DEFAULT_CONFIG_DIR;
  let dir: string;
  try {
    dir = await mkdtemp(join(parent, 'scrapegrid-embulk-'));
  } catch (error) {
    return _notWritten(parent, error);
  }
  // A second signal or the end of the shutdown grace exits at once: the config goes with it.
  const removeOnExit = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeOnExit);
  try {
    const configPath = join(dir, 'embulk.yml');
    try {
      await writeFile(configPath, buildEmbulkConfig(spec, options.dataDir, options.shard), {
        mode: 0o600,
        flag: 'wx',
      });
    } catch (error) {
      return _notWritten(parent, error);
    }
    return await runEmbulk({
      command: [...options.command],
      configPath,
      timeoutMs: options.timeoutMs,
      logger,
      env: { ...options.env },
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
      // Embulk may echo its config (a JDBC URL, a value its config mapper rejects): the secret
      // values never reach the log; hosts, users, databases and paths stay readable.
      redact: embulkSecrets(spec.embulk, options.env),
    });
  } finally {
    process.removeListener('exit', removeOnExit);
    await rm(dir, { recursive: true, force: true });
  }
}

// --- internal ---

// Memory-backed on Linux; in a pod, WORKER_EMBULK_CONFIG_DIR names an emptyDir (medium: Memory)
// mounted only into the worker, since the pod's containers share /dev/shm.
const DEFAULT_CONFIG_DIR = '/dev/shm';

function _notWritten(parent: string, error: unknown): EmbulkResult {
  const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return {
    exitCode: null,
    durationMs: 0,
    timedOut: false,
    errorLine: `cannot write the Embulk config under ${parent} (${why}); set WORKER_EMBULK_CONFIG_DIR to a writable memory-backed directory`,
  };
}
