import { writeFileSync } from 'node:fs';
import { type CrawlSummaryInput, crawlSummary } from './crawl-summary.ts';

/**
 * Writes the run's summary line to `path` (the pod's terminationMessagePath, /dev/termination-log,
 * which Kubernetes shows as the container's `state.terminated.message`). Synchronous: it runs on
 * the forced-exit path too. No path: nothing is written (a local run does not write to /dev).
 * Returns the error message when the write failed (the caller logs it; the exit code stands).
 */
export function writeCrawlSummary(path: string | undefined, input: CrawlSummaryInput): string | undefined {
  if (path === undefined) return undefined;
  try {
    writeFileSync(path, crawlSummary(input));
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
