import { fileURLToPath } from 'node:url';
import { spawnTracked } from '@scrapegrid/test-support';
import { describe, expect, test } from 'vitest';
import { USAGE } from './config.ts';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('sidecar-reaper (the bin, from source)', () => {
  test('--help prints the usage on stdout and exits 0, whatever the environment', async () => {
    const proc = spawnTracked('sidecar-reaper', process.execPath, [main, '--help'], {
      env: { SIDECAR_REAPER_SENTINEL_PATH: 'relative' },
    });
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.output()).toBe(`${USAGE}\n`);
  });
});
