// The shared vitest configuration lives with the process tracking it sets up (process-group);
// every package's vitest.config.ts still imports it from here.
export { scrapegridVitestConfig } from '@scrapegrid/process-group/vitest-config';
