import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface EmbulkInstallation {
  /** <cache root>/embulk-<version> (cacheRoot() of @scrapegrid/local-cluster; SCRAPEGRID_CACHE moves it) */
  readonly dir: string;
  readonly version: string;
  /** The executable jar: `java -jar <jar> run config.yml`. */
  readonly jar: string;
  /** EMBULK_HOME: embulk.properties and the Maven-style plugins. */
  readonly home: string;
  /** The environment Embulk needs beside the worker's: EMBULK_HOME. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The real Embulk, obtained the one way the demo and the worker image obtain it
 * (scripts/install-embulk.sh: Maven Central, checked against embulk/embulk.lock, cached).
 * A cache hit takes well under a second; a cold one one to two minutes. Once per test process.
 */
export function installEmbulk(): Promise<EmbulkInstallation> {
  installing ??= new Promise((resolve, reject) => {
    execFile(
      'bash',
      [SCRIPT],
      { timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(`scripts/install-embulk.sh failed: ${stderr.trim() || error.message}`, {
              cause: error,
            }),
          );
          return;
        }
        const dir = stdout.trim().split('\n').at(-1)!;
        const version = /embulk-([\d.]+)$/.exec(dir)?.[1] ?? '';
        const home = join(dir, 'home');
        resolve({ dir, version, jar: join(dir, `embulk-${version}.jar`), home, env: { EMBULK_HOME: home } });
      },
    );
  });
  return installing;
}

// --- internal ---

const SCRIPT = fileURLToPath(new URL('../../../scripts/install-embulk.sh', import.meta.url));
let installing: Promise<EmbulkInstallation> | undefined;
