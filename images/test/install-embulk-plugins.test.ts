import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildEmbulkStandInJar } from './build-embulk-stand-in-jar.ts';
import { runCommand } from './run-command.ts';

// The worker image's plugin step, run for real: the stand-in jar's `install` records each
// coordinate where Maven-style plugins land, and the script selects them in embulk.properties.
const SCRIPT = new URL('../worker/install-embulk-plugins.sh', import.meta.url).pathname;
let workDir: string;
let jar: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'scrapegrid-embulk-plugins-'));
  jar = await buildEmbulkStandInJar(join(workDir, 'jar'));
}, 120_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('install-embulk-plugins.sh', () => {
  test('installs each coordinate into the Embulk home and selects it by category and type', async () => {
    const home = join(workDir, 'home-ok');
    const result = await runCommand(
      'sh',
      [SCRIPT, home, jar, 'org.embulk:embulk-output-postgresql:0.11.1', 'org.embulk:embulk-input-s3:0.6.0'],
      { timeoutMs: 60_000 },
    );
    expect(result.code, result.output).toBe(0);
    expect(readFileSync(join(home, 'embulk.properties'), 'utf8').split('\n').filter(Boolean)).toEqual([
      'plugins.output.postgresql=maven:org.embulk:postgresql:0.11.1',
      'plugins.input.s3=maven:org.embulk:s3:0.6.0',
    ]);
    expect(existsSync(join(home, 'lib/m2/repository/org/embulk/embulk-output-postgresql/0.11.1'))).toBe(true);
    expect(existsSync(join(home, 'lib/m2/repository/org/embulk/embulk-input-s3/0.6.0'))).toBe(true);
  });

  test('with no plugins it leaves an empty embulk.properties', async () => {
    const home = join(workDir, 'home-empty');
    const result = await runCommand('sh', [SCRIPT, home, jar], { timeoutMs: 30_000 });
    expect(result.code, result.output).toBe(0);
    expect(readFileSync(join(home, 'embulk.properties'), 'utf8')).toBe('');
  });

  test.each([
    ['not an Embulk plugin artifact', 'org.embulk:postgresql:0.11.1'],
    ['no version', 'org.embulk:embulk-output-postgresql'],
    ['no group', ':embulk-output-postgresql:0.11.1'],
  ])('refuses a coordinate with %s (exit 2, nothing installed)', async (_why, coordinate) => {
    const home = join(workDir, `home-bad-${coordinate.length}`);
    const result = await runCommand('sh', [SCRIPT, home, jar, coordinate], { timeoutMs: 30_000 });
    expect(result.code).toBe(2);
    expect(result.output).toContain('expected GROUP:embulk-<category>-<type>:VERSION');
    expect(existsSync(join(home, 'lib'))).toBe(false);
  });
});
