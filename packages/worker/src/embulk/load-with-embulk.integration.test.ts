import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type EmbulkInstallation,
  installEmbulk,
  type Postgres,
  startPostgres,
} from '@scrapegrid/test-support';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRecordWriter } from '../output/record-writer.ts';
import { parseJobSpec } from '../spec/parse-job-spec.ts';
import { loadWithEmbulk } from './load-with-embulk.ts';

// The real Embulk loading into a real PostgreSQL through loadWithEmbulk, every connection setting
// from the environment as a Kubernetes Secret would give it: the password appears nowhere in what
// is printed or left on disk; host, port, user, database name and paths stay readable in Embulk's
// lines (the user and database are both "scrapegrid", which is also in the data path); the config
// (in a memory-backed directory) is gone after every run.

let embulk: EmbulkInstallation;
let pg: Postgres;
let root: string;
let configDir: string;
beforeAll(async () => {
  [embulk, pg, root, configDir] = await Promise.all([
    installEmbulk(),
    startPostgres(),
    mkdtemp(join(tmpdir(), 'scrapegrid-')),
    mkdtemp('/dev/shm/load-with-embulk-'),
  ]);
}, 15 * 60_000);
afterAll(async () => {
  await pg?.stop();
  for (const dir of [root, configDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

const RECORDS = Array.from({ length: 20 }, (_, k) => ({ s: `record ${k}`, i: k }));

async function load(name: string, settings: { password: string; port?: string; database?: string }) {
  const env = {
    ...process.env,
    ...embulk.env,
    LOAD_DB_HOST: '127.0.0.1',
    LOAD_DB_PORT: String(pg.port),
    LOAD_DB_USER: pg.user,
    LOAD_DB_NAME: settings.database ?? pg.database,
    LOAD_DB_PASSWORD: settings.password,
  };
  // The data path holds the user's and the database's name, as /tmp/scrapegrid/… does in a pod.
  const out = join(root, pg.user, pg.database, name);
  const spec = parseJobSpec(
    `version: 1
name: ${name}
start: { urls: ['http://127.0.0.1:8080/'] }
items: { selector: li, fields: { s: { css: .s }, i: { css: .i, type: integer } } }
output: { dir: ${out} }
embulk:
  out:
    type: pgcopy
    host: \${env:LOAD_DB_HOST}
    port: ${settings.port ?? `\${env:LOAD_DB_PORT}`}
    user: \${env:LOAD_DB_USER}
    password: \${env:LOAD_DB_PASSWORD}
    database: \${env:LOAD_DB_NAME}
    table: ${name.replace(/-/g, '_')}
    mode: insert
`,
    { env },
  );
  const writer = await createRecordWriter({ dir: out, partMaxBytes: 256 * 1024, spec });
  for (const record of RECORDS) await writer.write(record);
  await writer.finish({ status: 'succeeded', failures: [], pages: 1, startedAt: new Date() });
  let printed = '';
  const logger = pino(
    { level: 'debug' },
    {
      write: (line: string) => {
        printed += line;
      },
    },
  );
  const result = await loadWithEmbulk({
    spec,
    dataDir: join(out, 'data'),
    command: ['java', '-jar', embulk.jar],
    timeoutMs: 5 * 60_000,
    logger,
    env,
    configDir,
  });
  return { result, printed, out };
}

/** Every file under the directories whose bytes contain the text. */
async function filesContaining(text: string, ...dirs: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    for (const entry of await readdir(dir, { recursive: true })) {
      const path = join(dir, entry);
      if ((await stat(path)).isFile() && (await readFile(path)).includes(text)) found.push(path);
    }
  }
  return found;
}

describe('loadWithEmbulk with the real Embulk and PostgreSQL', { timeout: 5 * 60_000 }, () => {
  test('a load: the password nowhere, the data path readable, the config gone', async () => {
    const { result, printed, out } = await load('loaded', { password: pg.password });
    expect(result, printed.slice(-3000)).toMatchObject({ exitCode: 0, timedOut: false });
    expect(await pg.psql('select count(*), sum(i) from loaded')).toBe('20|190\n');
    expect(printed).not.toContain(pg.password);
    expect(printed).not.toContain('[redacted]');
    // Embulk names the part file it reads: the path, with "scrapegrid" in it twice, is intact.
    expect(printed).toContain(join(out, 'data/part-00001.jsonl'));
    expect(await readdir(configDir)).toEqual([]);
    expect(await filesContaining(pg.password, root, configDir)).toEqual([]);
  });

  test('a wrong password: the user is named in the error, the password nowhere', async () => {
    const wrong = 'wrong-password-4711';
    const { result, printed } = await load('wrong-password', { password: wrong });
    expect(result.exitCode).toBe(1);
    expect(result.errorLine).toBe(
      `Error: org.scrapegrid.embulk.output.pgcopy.PgcopyException: FATAL: password authentication failed for user "${pg.user}" (SQLSTATE 28P01)`,
    );
    expect(printed).not.toContain(wrong);
    expect(await readdir(configDir)).toEqual([]);
    expect(await filesContaining(wrong, root, configDir)).toEqual([]);
  });

  test('a database that does not exist: its name is in the error', async () => {
    const { result, printed } = await load('no-database', {
      password: pg.password,
      database: 'scrapegrid_missing',
    });
    expect(result.exitCode).toBe(1);
    expect(result.errorLine).toBe(
      'Error: org.scrapegrid.embulk.output.pgcopy.PgcopyException: FATAL: database "scrapegrid_missing" does not exist (SQLSTATE 3D000)',
    );
    expect(printed).not.toContain(pg.password);
    expect(await readdir(configDir)).toEqual([]);
  });

  test('the database down: host and port are in the error', async () => {
    const down = await startPostgres();
    await down.stop();
    const { result, printed } = await load('down', { password: pg.password, port: String(down.port) });
    expect(result.exitCode).toBe(1);
    expect(result.errorLine).toContain(`Connection to 127.0.0.1:${down.port} refused.`);
    expect(printed).not.toContain(pg.password);
    expect(await readdir(configDir)).toEqual([]);
  });

  test('Embulk quoting the password (where its config mapper rejects it): masked in every line', async () => {
    // The password where a port belongs: Embulk's error quotes the value it could not read.
    const { result, printed } = await load('quoted', {
      password: pg.password,
      port: `\${env:LOAD_DB_PASSWORD}`,
    });
    expect(result.exitCode).toBe(1);
    expect(result.errorLine).toContain('[redacted]');
    expect(printed).toContain('[redacted]');
    expect(printed).not.toContain(pg.password);
    expect(await readdir(configDir)).toEqual([]);
    expect(await filesContaining(pg.password, root, configDir)).toEqual([]);
  });
});
