import { defineConfig } from 'vitest/config';

// Not test-support's shared config: test-support depends on this package (its tracked processes
// are stopped with stopProcessGroup), so this one stands alone. Its tests start no process.
export const config = defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The JSON report feeds scripts/test.sh's one-line summary, as for every package.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
// Vitest reads the config's default export; this is the one place a default export is needed.
export default config;
