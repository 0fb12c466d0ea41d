import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTracked, waitUntil } from '@scrapegrid/test-support';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { JobSpec } from '../spec/job-spec.ts';
import type { JobOutcome, Manifest } from './manifest.ts';
import { OutputError } from './output-error.ts';
import { RecordInvalidError } from './record-invalid-error.ts';
import { createRecordWriter } from './record-writer.ts';

const SPEC = {
  name: 'writer-test',
  items: {
    locator: { css: 'li' },
    fields: {
      id: { read: { kind: 'text' }, all: false, type: 'integer', required: true },
      name: { read: { kind: 'text' }, all: false, type: 'string', required: false },
    },
  },
} as unknown as JobSpec;

const OUTCOME: JobOutcome = { status: 'succeeded', failures: [], pages: 3, startedAt: new Date() };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'record-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Some cases run a separate Node process; on a loaded machine they need more than the 5 s default.
describe('createRecordWriter', { timeout: 60_000 }, () => {
  test('rotates parts before they pass partMaxBytes and keeps every record once, in order', async () => {
    const writer = await createRecordWriter({ dir, partMaxBytes: 2048, spec: SPEC });
    for (let id = 0; id < 500; id++) await writer.write({ id, name: `product ${id}` });
    expect(writer.recordsWritten).toBe(500);
    const manifest = await writer.finish({ ...OUTCOME });

    const parts = await readdir(join(dir, 'data'));
    expect(parts.length).toBeGreaterThan(5);
    expect(parts).toEqual(parts.map((_, i) => `part-${String(i + 1).padStart(5, '0')}.jsonl`));
    const ids: number[] = [];
    for (const part of parts) {
      const bytes = await readFile(join(dir, 'data', part));
      expect(bytes.length).toBeLessThanOrEqual(2048);
      expect(bytes.at(-1)).toBe(0x0a);
      for (const line of bytes.toString('utf8').trimEnd().split('\n')) ids.push(JSON.parse(line).id);
    }
    expect(ids).toEqual([...Array(500).keys()]);
    expect(await readdir(join(dir, 'in-progress'))).toEqual([]);
    expect(manifest.records).toBe(500);
  });

  test('the manifest lists each part with its size, record count and sha256, the schema and the outcome', async () => {
    const writer = await createRecordWriter({ dir, partMaxBytes: 4096, spec: SPEC });
    for (let id = 0; id < 200; id++) await writer.write({ id, name: `«${id}»` });
    const failures = [
      { url: 'http://x/broken', error: 'HTTP 500', attempts: 3, screenshot: 'failures/broken.png' },
    ];
    const returned = await writer.finish({ ...OUTCOME, status: 'failed', failures });
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest).toEqual(returned);
    expect(manifest).toMatchObject({
      version: 1,
      job: 'writer-test',
      status: 'failed',
      pages: 3,
      records: 200,
      failures,
    });
    expect(manifest.schema).toEqual([
      { name: 'id', type: 'integer', all: false, required: true, from: 'item' },
      { name: 'name', type: 'string', all: false, required: false, from: 'item' },
    ]);
    let records = 0;
    for (const file of manifest.files) {
      const bytes = await readFile(join(dir, file.path));
      expect(file.bytes).toBe(bytes.length);
      expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(file.records).toBe(bytes.toString('utf8').trimEnd().split('\n').length);
      records += file.records;
    }
    expect(records).toBe(200);
    expect(manifest.files.map((f) => f.path)).toEqual(
      (await readdir(join(dir, 'data'))).map((n) => `data/${n}`),
    );
  });

  test('a part appears in data/ only once complete; until then it is in in-progress/', async () => {
    const writer = await createRecordWriter({ dir, partMaxBytes: 1024 * 1024, spec: SPEC });
    for (let id = 0; id < 10; id++) await writer.write({ id });
    expect(await readdir(join(dir, 'data'))).toEqual([]);
    expect(await readdir(join(dir, 'in-progress'))).toEqual(['part-00001.jsonl']);
    const running = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(running.status).toBe('running');
    await writer.finish({ ...OUTCOME });
    expect(await readdir(join(dir, 'data'))).toEqual(['part-00001.jsonl']);
    expect(await readdir(join(dir, 'in-progress'))).toEqual([]);
  });

  test("a shard's parts carry its prefix", async () => {
    const writer = await createRecordWriter({
      dir,
      partMaxBytes: 1024,
      spec: SPEC,
      partPrefix: 'shard-00002-',
    });
    for (let id = 0; id < 100; id++) await writer.write({ id });
    const manifest = await writer.finish({ ...OUTCOME });
    const parts = await readdir(join(dir, 'data'));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.sort()).toEqual(
      parts.map((_, k) => `shard-00002-part-${String(k + 1).padStart(5, '0')}.jsonl`),
    );
    expect(manifest.files.map((file) => file.path)).toEqual(parts.map((part) => `data/${part}`));
  });

  test('records written from many sessions at once are neither interleaved nor lost', async () => {
    const writer = await createRecordWriter({ dir, partMaxBytes: 8192, spec: SPEC });
    await Promise.all(
      Array.from({ length: 40 }, async (_, session) => {
        for (let i = 0; i < 50; i++) await writer.write({ id: session * 1000 + i, name: 'x'.repeat(i * 7) });
      }),
    );
    await writer.finish({ ...OUTCOME });
    const ids = await readIds(dir);
    expect(ids).toHaveLength(2000);
    expect(new Set(ids).size).toBe(2000);
  });

  test('abort keeps complete parts in data/, leaves the part being written in in-progress/, marks the manifest aborted', async () => {
    const writer = await createRecordWriter({ dir, partMaxBytes: 2048, spec: SPEC });
    for (let id = 0; id < 130; id++) await writer.write({ id, name: `product ${id}` });
    await writer.abort('SIGTERM received');

    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.status).toBe('aborted');
    expect(manifest.reason).toBe('SIGTERM received');
    const published = await readIds(dir);
    expect(published.length).toBeLessThan(130);
    expect(manifest.records).toBe(published.length);
    // Nothing accepted is lost: the rest is on disk, outside what Embulk reads, and listed as such.
    expect(await readdir(join(dir, 'in-progress'))).toHaveLength(1);
    const [unpublished] = manifest.unpublished ?? [];
    expect(unpublished?.path).toMatch(/^in-progress\/part-\d{5}\.jsonl$/);
    const rest = await readFile(join(dir, unpublished!.path));
    expect(createHash('sha256').update(rest).digest('hex')).toBe(unpublished?.sha256);
    const restIds = rest
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).id);
    expect(unpublished?.records).toBe(restIds.length);
    expect([...published, ...restIds]).toEqual([...Array(130).keys()]);
    expect(writer.recordsWritten).toBe(130);

    await expect(writer.write({ id: 1 })).rejects.toMatchObject({ code: 'WRITER_CLOSED' });
    await writer.abort('again'); // a second signal changes nothing
    expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')).reason).toBe('SIGTERM received');
  });

  test('an invalid record is refused and the writer goes on', async () => {
    const writer = await createRecordWriter({ dir, partMaxBytes: 4096, spec: SPEC });
    await writer.write({ id: 1 });
    await expect(writer.write({ id: 1.5 })).rejects.toBeInstanceOf(RecordInvalidError);
    await writer.write({ id: 2 });
    await writer.finish({ ...OUTCOME });
    expect(await readIds(dir)).toEqual([1, 2]);
  });

  test("refuses an output dir that holds a previous run's parts, published or not", async () => {
    const first = await createRecordWriter({ dir, partMaxBytes: 4096, spec: SPEC });
    await first.write({ id: 1 });
    await first.finish({ ...OUTCOME });
    const error = await createRecordWriter({ dir, partMaxBytes: 4096, spec: SPEC }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as OutputError).code).toBe('OUTPUT_NOT_EMPTY');
    expect((error as OutputError).message).toBe(
      `data/ of output dir ${dir} holds 1 file(s) from a previous run (part-00001.jsonl): remove the output dir or choose another output.dir`,
    );

    const other = await mkdtemp(join(tmpdir(), 'record-writer-'));
    try {
      const crashed = await createRecordWriter({ dir: other, partMaxBytes: 4096, spec: SPEC });
      await crashed.write({ id: 1 });
      await crashed.abort('crash');
      const refused = await createRecordWriter({ dir: other, partMaxBytes: 4096, spec: SPEC }).catch(
        (e: unknown) => e,
      );
      expect((refused as OutputError).message).toMatch(/^in-progress\/ of output dir .* holds 1 file\(s\)/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  test('a process killed mid-write leaves only complete, valid parts in data/', async () => {
    const child = spawnTracked('writer-child', process.execPath, [
      '--input-type=module',
      '-e',
      childScript(dir, 1024, 1_000_000),
    ]);
    try {
      await waitUntil(async () => (await readdir(join(dir, 'data')).catch(() => [])).length >= 3, {
        what: 'three complete parts',
        timeoutMs: 20_000,
        intervalMs: 20,
      });
      child.signalGroup('SIGKILL');
      await child.exited;
    } finally {
      await child.stop(1_000);
    }
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.status).toBe('running');
    const parts = await readdir(join(dir, 'data'));
    for (const part of parts) {
      const text = await readFile(join(dir, 'data', part), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    }
    // Every part the manifest lists is in data/ with its checksum (one more may have landed after).
    for (const file of manifest.files) {
      const bytes = await readFile(join(dir, file.path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
    }
    const ids = await readIds(dir);
    expect(ids).toEqual([...Array(ids.length).keys()]);
  });

  test('memory does not grow with the number of records (300,000 records in a 16 MiB heap)', async () => {
    const child = spawnTracked('writer-memory', process.execPath, [
      '--max-old-space-size=16',
      '--input-type=module',
      '-e',
      childScript(dir, 4 * 1024 * 1024, 300_000, true),
    ]);
    const exit = await child.exited;
    await child.stop(1_000);
    expect(child.output()).toContain('finished 300000');
    expect(exit).toEqual({ code: 0, signal: null });
    expect((await readIds(dir)).length).toBe(300_000);
  });
});

// --- internal ---

async function readIds(root: string): Promise<number[]> {
  const ids: number[] = [];
  for (const part of (await readdir(join(root, 'data'))).sort()) {
    const text = await readFile(join(root, 'data', part), 'utf8');
    for (const line of text.split('\n')) if (line !== '') ids.push(JSON.parse(line).id);
  }
  return ids;
}

/** A separate Node process that writes `count` records through the writer (so it can be killed or capped). */
function childScript(dir: string, partMaxBytes: number, count: number, finish = false): string {
  const writerModule = new URL('./record-writer.ts', import.meta.url).href;
  return `
import { createRecordWriter } from ${JSON.stringify(writerModule)};
const spec = ${JSON.stringify(SPEC)};
const writer = await createRecordWriter({ dir: ${JSON.stringify(dir)}, partMaxBytes: ${partMaxBytes}, spec });
for (let id = 0; id < ${count}; id++) await writer.write({ id, name: 'record ' + id + ' with a few more words of padding in it' });
${finish ? `await writer.finish({ status: 'succeeded', failures: [], pages: 0, startedAt: new Date() }); console.log('finished ' + writer.recordsWritten);` : ''}
`;
}
