import { PlaceholderSecretError, refusePlaceholder } from '@scrapegrid/program-kit';
import type { SpecNode } from './spec-node.ts';

/**
 * Records an issue when the environment variable `name`, as the spec uses it (`${env:NAME}` in
 * Embulk's settings, `fromEnv: NAME` in a fill), is still the placeholder the Secret of k8s/ ships:
 * run as it is, the job would log in or load with a guessable credential. An issue, so both
 * `worker validate` and `worker run` refuse the spec (exit 2) before a page is opened; it names the
 * variable and its Secret (program-kit's message), never the value. True when the value may be used.
 */
export function refusePlaceholderValue(node: SpecNode, name: string, value: string): boolean {
  try {
    refusePlaceholder(name, value, CREDENTIALS_SECRET);
    return true;
  } catch (error) {
    if (!(error instanceof PlaceholderSecretError)) throw error;
    node.issue(error.message);
    return false;
  }
}

// --- internal ---

/** Where k8s/ (scrape-job) keeps the variables the spec reads; the worker has them via envFrom. */
const CREDENTIALS_SECRET = 'the Secret scrape-job-credentials';
