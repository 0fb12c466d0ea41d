import { scrapegridVitestConfig } from './src/vitest-config.ts';

// Vitest reads the config's default export; this is the one place a default export is needed.
export default scrapegridVitestConfig();
