import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTracked } from '@scrapegrid/test-support';
import { expect, test } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const SECRET = 's3cretPW';

// Issue 19: `WORKER_GRID_URL='http://user:s3cretPW@127.0.0.1:notaport/' worker run job.yaml`
// printed the password in its error line and wrote it into the sentinel. Everything the worker
// prints (stdout, stderr) and writes (the sentinel's directory) is searched for it.
test.each([
  [`http://user:${SECRET}@127.0.0.1:notaport/`, 'http://user:***@127.0.0.1:notaport/'],
  [`ftp://user:${SECRET}@127.0.0.1/`, 'ftp://user:***@127.0.0.1/'],
])('WORKER_GRID_URL=%s: exit 2, named %s, the password in nothing printed or written', async (url, shown) => {
  const dir = await mkdtemp(join(tmpdir(), 'worker-secret-'));
  try {
    const sentinelPath = join(dir, 'shared', 'done.json');
    const proc = spawnTracked('worker', process.execPath, [main, 'run', join(dir, 'job.yaml')], {
      env: { WORKER_GRID_URL: url, WORKER_SENTINEL_PATH: sentinelPath },
    });
    expect(await proc.exited).toEqual({ code: 2, signal: null });
    expect(await readdir(join(dir, 'shared'))).toEqual(['done.json']);
    const sentinel = await readFile(sentinelPath, 'utf8');
    expect(proc.output()).not.toContain(SECRET);
    expect(sentinel).not.toContain(SECRET);
    const said = `WORKER_GRID_URL must be an http or https URL, got "${shown}"`;
    expect(JSON.parse(sentinel)).toMatchObject({ exitCode: 2, reason: `configuration invalid: ${said}` });
    expect(proc.output()).toContain(JSON.stringify(said).slice(1, -1));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
