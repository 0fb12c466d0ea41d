import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { currentRunId, findLeftoverProcesses } from '@scrapegrid/process-group';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Postgres, startPostgres } from './postgres.ts';

describe('startPostgres', { timeout: 90_000 }, () => {
  let pg: Postgres;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 90_000);
  afterAll(async () => {
    await pg?.stop();
  });

  test('serves SQL on loopback with password authentication', async () => {
    expect(pg.host).toBe('127.0.0.1');
    expect(await pg.psql("select 40 + 2, 'é'")).toBe('42|é\n');
    await expect(
      pg.psql('select 1', { args: ['-h', '127.0.0.1', '-p', String(pg.port), '-U', pg.user] }),
    ).resolves.toBe('1\n');
  });

  test('a wrong password is refused', async () => {
    const wrong = psqlWithPassword(pg, 'not-the-password');
    await expect(wrong).rejects.toThrow(/password authentication failed/);
  });

  test('stop() ends the server and its children and removes the data directory', async () => {
    const other = await startPostgres();
    await access(join(other.dir, 'data', 'PG_VERSION'));
    await other.stop();
    expect(other.process.isRunning()).toBe(false);
    await expect(access(other.dir)).rejects.toThrow(/ENOENT/);
    // The postmaster's children (checkpointer, walwriter…) are in its process group.
    const left = (await findLeftoverProcesses(currentRunId())).filter((p) => p.pgid === other.process.pid);
    expect(left).toEqual([]);
  });
});

// --- internal ---

async function psqlWithPassword(pg: Postgres, password: string): Promise<string> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile(
      join(pg.binDir, 'psql'),
      ['-X', '-At', '-c', 'select 1'],
      { env: { ...process.env, ...pg.env(), PGPASSWORD: password }, timeout: 30_000 },
      (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout)),
    );
  });
}
