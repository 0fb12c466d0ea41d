import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@scrapegrid/program-kit';
import { expect, test } from 'vitest';
import { loadPools } from './load-pools.ts';

test('file and GRID_EXPORTER_POOLS together; names unique across both; an empty list is an error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'grid-exporter-load-'));
  const file = join(dir, 'pools.yaml');
  await writeFile(file, '- name: chrome\n  browserName: chrome\n');
  const pools = await loadPools({
    poolsFile: file,
    poolsInline: '[{"name": "edge", "browserName": "MicrosoftEdge"}]',
  });
  expect(pools.map((p) => p.name)).toEqual(['chrome', 'edge']);
  await expect(loadPools({ poolsFile: file, poolsInline: '- name: chrome' })).rejects.toThrow(
    'defined twice',
  );
  await expect(loadPools({ poolsFile: join(dir, 'missing.yaml'), poolsInline: undefined })).rejects.toThrow(
    ConfigError,
  );
  await expect(loadPools({ poolsFile: undefined, poolsInline: '[]' })).rejects.toThrow('no pools configured');
});
