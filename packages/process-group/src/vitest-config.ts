import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';
import { TEST_RUN_ENV } from './tracked-process.ts';

/**
 * The one vitest configuration every package uses. Two projects:
 * - unit: fast, in-process, run in parallel;
 * - integration (`*.integration.test.ts`): real Grid, real Chromium, real processes; run one file
 *   at a time after the unit tests, with long timeouts, since they share two cores.
 * A JSON report per package feeds the one-line summary that scripts/test.sh prints.
 */
export function scrapegridVitestConfig(): ViteUserConfig {
  const runId = process.env[TEST_RUN_ENV] ?? randomUUID();
  process.env[TEST_RUN_ENV] = runId;
  return defineConfig({
    test: {
      pool: 'forks',
      env: { [TEST_RUN_ENV]: runId },
      globalSetup: [fileURLToPath(new URL('./global-setup.ts', import.meta.url))],
      reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: ['{src,test}/**/*.test.ts'],
            exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
            sequence: { groupOrder: 0 },
          },
        },
        {
          extends: true,
          test: {
            name: 'integration',
            include: ['{src,test}/**/*.integration.test.ts'],
            fileParallelism: false,
            testTimeout: 180_000,
            hookTimeout: 180_000,
            sequence: { groupOrder: 1 },
          },
        },
      ],
    },
  });
}
