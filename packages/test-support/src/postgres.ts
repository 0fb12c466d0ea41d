import { execFile } from 'node:child_process';
import { chown, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GiveUpWaiting, spawnTracked, type TrackedProcess, waitUntil } from '@scrapegrid/process-group';
import { freePort } from './free-port.ts';

export interface PostgresOptions {
  /** Debian's server binaries (default: the newest /usr/lib/postgresql/<v>/bin, or SCRAPEGRID_PG_BINDIR). */
  binDir?: string;
  /** How long initdb plus the start may take (default 60 s). */
  startTimeoutMs?: number;
}

export interface Postgres {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly binDir: string;
  /** The private directory (data, socket); removed by stop(). */
  readonly dir: string;
  /** The server process (stop it with stop(), which also removes the data directory). */
  readonly process: TrackedProcess;
  /** Runs SQL through psql (unaligned, tuples only) and returns its stdout; rejects with psql's error. */
  psql(sql: string, options?: { timeoutMs?: number; args?: readonly string[] }): Promise<string>;
  /** Environment for psql and friends: PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE. */
  env(): Record<string, string>;
  /** Fast shutdown, then the data directory is removed. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A private PostgreSQL server for one test file or one demo: initdb into a new temp directory,
 * password authentication (scram-sha-256), listening on 127.0.0.1 at a free port, started through
 * spawnTracked. As root it runs as the `postgres` system user (PostgreSQL refuses root; Debian's
 * package creates that user, scripts/setup-system.sh installs the package). Durability is off
 * (fsync=off): the data is thrown away at stop().
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<Postgres> {
  const binDir = options.binDir ?? (await defaultBinDir());
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const owner = await serverUser();
  const dir = await mkdtemp(join(tmpdir(), 'scrapegrid-pg-'));
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
  const user = 'scrapegrid';
  let server: TrackedProcess | undefined;
  try {
    if (owner !== undefined) await chown(dir, owner.uid, owner.gid);
    const pwfile = join(dir, 'pwfile');
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner !== undefined) await chown(pwfile, owner.uid, owner.gid);
    const data = join(dir, 'data');
    await run(
      join(binDir, 'initdb'),
      [
        '-D',
        data,
        '-U',
        user,
        '--auth=scram-sha-256',
        `--pwfile=${pwfile}`,
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
        '--no-sync',
      ],
      { timeoutMs, ...owner },
    );
    await rm(pwfile);
    const port = await freePort();
    server = spawnTracked(
      'postgres',
      join(binDir, 'postgres'),
      ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
      { ...owner, env: { LANG: 'C.UTF-8' } },
    );
    const started = server;
    await waitUntil(
      async () => {
        if (!started.isRunning()) throw new GiveUpWaiting(`postgres exited:\n${started.output()}`);
        return /database system is ready to accept connections/.test(started.output());
      },
      { what: `postgres on 127.0.0.1:${port}`, timeoutMs },
    );
    return makeHandle({ binDir, port, user, password, dir, server });
  } catch (error) {
    await server?.stop(5_000);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

// --- internal ---

function makeHandle(o: {
  binDir: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  server: TrackedProcess;
}): Postgres {
  const env = () => ({
    PGHOST: '127.0.0.1',
    PGPORT: String(o.port),
    PGUSER: o.user,
    PGPASSWORD: o.password,
    PGDATABASE: 'postgres',
  });
  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port: o.port,
    user: o.user,
    password: o.password,
    database: 'postgres',
    binDir: o.binDir,
    dir: o.dir,
    process: o.server,
    env,
    async psql(sql, { timeoutMs = 120_000, args = [] } = {}) {
      const { stdout } = await execFileAsync(
        join(o.binDir, 'psql'),
        ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', ...args, '-c', sql],
        // The password travels in the environment, never on the command line.
        { env: { ...process.env, ...env() }, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 },
      );
      return stdout;
    },
    stop() {
      stopped ??= (async () => {
        // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to leave.
        o.server.signalGroup('SIGINT');
        await o.server.stop(10_000);
        await rm(o.dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

const execFileAsync = promisify(execFile);

async function run(
  command: string,
  args: string[],
  options: { timeoutMs: number; uid?: number; gid?: number },
): Promise<void> {
  try {
    await execFileAsync(command, args, {
      timeout: options.timeoutMs,
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
    });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${command} failed: ${e.stderr?.trim() || e.message}`, { cause: error });
  }
}

async function defaultBinDir(): Promise<string> {
  const fromEnv = process.env.SCRAPEGRID_PG_BINDIR;
  if (fromEnv) return fromEnv;
  const versions = (await readdir('/usr/lib/postgresql').catch(() => []))
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  if (versions[0] === undefined) {
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/<version>): run scripts/setup-system.sh',
    );
  }
  return join('/usr/lib/postgresql', versions[0], 'bin');
}

/** Root cannot run PostgreSQL: use Debian's `postgres` system user. Anyone else runs it as themselves. */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const { stdout } = await execFileAsync('id', ['-u', 'postgres']);
    const { stdout: gid } = await execFileAsync('id', ['-g', 'postgres']);
    return { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
  } catch {
    throw new Error(
      `running as ${userInfo().username}, and there is no postgres user: run scripts/setup-system.sh`,
    );
  }
}
