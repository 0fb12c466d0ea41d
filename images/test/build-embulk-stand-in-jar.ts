import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from './run-command.ts';

const SOURCE = new URL('../standin/embulk/EmbulkStandIn.java', import.meta.url).pathname;

/** Compiles images/standin/embulk into a runnable jar (embulk-0.11.5.jar) with this machine's JDK. */
export async function buildEmbulkStandInJar(workDir: string): Promise<string> {
  const classes = join(workDir, 'classes');
  const jar = join(workDir, 'embulk-0.11.5.jar');
  mkdirSync(classes, { recursive: true });
  // The source is UTF-8; javac would otherwise read it in the locale's charset (US-ASCII without LANG).
  await runOk('javac', ['-encoding', 'UTF-8', '--release', '17', '-d', classes, SOURCE], {
    timeoutMs: 120_000,
  });
  await runOk('jar', ['--create', '--file', jar, '--main-class', 'EmbulkStandIn', '-C', classes, '.'], {
    timeoutMs: 60_000,
  });
  return jar;
}
