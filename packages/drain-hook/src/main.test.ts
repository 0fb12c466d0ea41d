import { fileURLToPath } from 'node:url';
import { spawnTracked } from '@scrapegrid/test-support';
import { describe, expect, test } from 'vitest';
import { USAGE } from './parse-command-line.ts';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('drain-hook (the bin, from source)', () => {
  test('--help prints the usage on stdout and exits 0, whatever the environment', async () => {
    const proc = spawnTracked('drain-hook', process.execPath, [main, '--help'], {
      env: { SE_NODE_PORT: 'x' },
    });
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.output()).toBe(USAGE);
  });
});
