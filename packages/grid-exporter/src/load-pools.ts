import { readFile } from 'node:fs/promises';
import { ConfigError } from '@scrapegrid/program-kit';
import type { Config } from './config.ts';
import { parsePools } from './parse-pools.ts';
import type { Pool } from './pool.ts';

/** The pools from the file and from GRID_EXPORTER_POOLS, together; names must be unique across both. */
export async function loadPools(config: Pick<Config, 'poolsFile' | 'poolsInline'>): Promise<readonly Pool[]> {
  const pools: Pool[] = [];
  if (config.poolsFile !== undefined) {
    let text: string;
    try {
      text = await readFile(config.poolsFile, 'utf8');
    } catch (cause) {
      throw new ConfigError(`${config.poolsFile}: cannot read: ${(cause as Error).message}`, { cause });
    }
    pools.push(...parsePools(text, config.poolsFile));
  }
  if (config.poolsInline !== undefined) pools.push(...parsePools(config.poolsInline, 'GRID_EXPORTER_POOLS'));
  const names = new Set<string>();
  for (const pool of pools) {
    if (names.has(pool.name))
      throw new ConfigError(`pool "${pool.name}" is defined twice (file and GRID_EXPORTER_POOLS)`);
    names.add(pool.name);
  }
  if (pools.length === 0) throw new ConfigError('no pools configured: the pools list is empty');
  return Object.freeze(pools);
}
