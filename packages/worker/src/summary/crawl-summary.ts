import type { Shard } from '../shard/read-shard.ts';

/** What one worker run did, as the Job's pod reports it when the worker exits. */
export interface CrawlSummaryInput {
  /** The spec's name; undefined when the spec could not be read. */
  job?: string;
  /** This pod's share of an Indexed Job's crawl; undefined: the whole crawl. */
  shard?: Shard;
  records: number;
  pagesOk: number;
  pagesFailed: number;
  exitCode: number;
  /** One line on why, when the run failed. */
  reason?: string;
}

/**
 * Kubernetes keeps at most 4096 bytes of a container's termination message (and cuts the rest
 * silently): the line is kept below it so it stays valid JSON.
 */
export const MAX_TERMINATION_MESSAGE_BYTES = 4096;

/**
 * The one-line JSON summary of a run, for the container's termination message: the shard, the
 * counts and the exit code first, the reason last and shortened until the line fits
 * MAX_TERMINATION_MESSAGE_BYTES, so the numbers always survive.
 */
export function crawlSummary(input: CrawlSummaryInput): string {
  const summary = {
    // A spec's name is short; capped anyway so that the counts always fit.
    ...(input.job === undefined ? {} : { job: input.job.slice(0, MAX_JOB_NAME) }),
    ...(input.shard ? { shardIndex: input.shard.index, shardCount: input.shard.count } : {}),
    records: input.records,
    pagesOk: input.pagesOk,
    pagesFailed: input.pagesFailed,
    exitCode: input.exitCode,
  };
  if (input.reason === undefined) return JSON.stringify(summary);
  const whole = JSON.stringify({ ...summary, reason: input.reason });
  if (_fits(whole)) return whole;
  // The longest prefix of the reason (in characters, never splitting one) that fits with the
  // ellipsis: escapes and multi-byte characters make bytes and characters differ, so search.
  const chars = [...input.reason];
  const line = (n: number) => JSON.stringify({ ...summary, reason: `${chars.slice(0, n).join('')}…` });
  let [low, high] = [0, chars.length - 1];
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (_fits(line(middle))) low = middle;
    else high = middle - 1;
  }
  return line(low);
}

// --- internal ---

const MAX_JOB_NAME = 200;

function _fits(line: string): boolean {
  return Buffer.byteLength(line) <= MAX_TERMINATION_MESSAGE_BYTES;
}
