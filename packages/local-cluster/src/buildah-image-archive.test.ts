import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { dropOlderArchives } from './buildah-image-archive.ts';

let dir = '';
afterEach(() => rm(dir, { recursive: true, force: true }));

test('a new archive of an image replaces the older ones of that image and no other', async () => {
  dir = await mkdtemp(join(tmpdir(), 'archives-'));
  const files = [
    'docker.io_scrapegrid_worker_0.1.0-0123456789abcdef.tar',
    'docker.io_scrapegrid_worker_0.1.0-fedcba9876543210.tar',
    'docker.io_scrapegrid_worker_0.1.0-smoke-0123456789abcdef.tar',
    'docker.io_scrapegrid_grid-exporter_0.1.0-0123456789abcdef.tar',
    'docker.io_scrapegrid_worker_0x1x0-aaaaaaaaaaaaaaaa.tar',
    'pause.tar',
  ];
  for (const file of files) await writeFile(join(dir, file), '');
  await dropOlderArchives(dir, 'docker.io_scrapegrid_worker_0.1.0', files[1] as string);
  expect((await readdir(dir)).sort()).toEqual([files[1], files[2], files[3], files[4], files[5]].sort());
});
