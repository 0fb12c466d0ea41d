import { fileURLToPath } from 'node:url';
import { spawnTracked } from '@scrapegrid/test-support';
import { describe, expect, test } from 'vitest';
import { USAGE } from './config.ts';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('grid-exporter (the bin, from source)', () => {
  test('--help prints the usage on stdout and exits 0, with no other setting', async () => {
    const proc = spawnTracked('grid-exporter', process.execPath, [main, '--help'], {
      env: { GRID_EXPORTER_PORT: 'x' },
    });
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.output()).toBe(`${USAGE}\n`);
  });

  test('bad configuration exits 2 with the message', async () => {
    const proc = spawnTracked('grid-exporter', process.execPath, [main, '--nope']);
    expect((await proc.exited).code).toBe(2);
    expect(proc.output()).toMatch(
      /^grid-exporter: Unknown option '--nope'.*\(see grid-exporter --help\)\n$/s,
    );
  });
});
