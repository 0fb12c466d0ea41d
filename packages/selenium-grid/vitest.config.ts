import { scrapegridVitestConfig } from '@scrapegrid/process-group/vitest-config';

// Vitest reads the config's default export; this is the one place a default export is needed.
// From process-group, not test-support: test-support stands on this package (its Grids are read
// through this client), so this package's tests use nothing of it.
export default scrapegridVitestConfig();
