import { scrapegridVitestConfig } from '@scrapegrid/test-support/vitest-config';

// Vitest reads the config's default export; this is the one place a default export is needed.
export default scrapegridVitestConfig();
