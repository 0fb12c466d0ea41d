/**
 * The contract between the worker and the sidecar-reaper: when the worker is finally done
 * (success or failure), it writes this JSON file on the shared volume, atomically. The reaper
 * stops the sidecars when the file appears. Both sides use only this module.
 */
export const SENTINEL_VERSION = 1;

/** Where the worker writes, and the reaper watches, unless configured otherwise. */
export const DEFAULT_SENTINEL_PATH = '/tmp/scrapegrid/worker-done.json';

export type SentinelStatus = 'succeeded' | 'failed';

export interface Sentinel {
  version: typeof SENTINEL_VERSION;
  status: SentinelStatus;
  /** The exit code the worker exits with (0 success, 1 scrape/transfer failed, 2 bad spec/config). */
  exitCode: number;
  /** ISO 8601 time the worker finished. */
  finishedAt: string;
  /** One line on why, when the worker failed. */
  reason?: string;
}

export class SentinelError extends Error {
  readonly code = 'SENTINEL_INVALID';
}

export function makeSentinel(exitCode: number, reason?: string, now = new Date()): Sentinel {
  return {
    version: SENTINEL_VERSION,
    status: exitCode === 0 ? 'succeeded' : 'failed',
    exitCode,
    finishedAt: now.toISOString(),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** Parses and checks a sentinel file's text; a reaper acts on any well-formed sentinel. */
export function parseSentinel(text: string): Sentinel {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SentinelError('sentinel is not JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null) throw new SentinelError('sentinel is not a JSON object');
  const s = value as Record<string, unknown>;
  if (s.version !== SENTINEL_VERSION)
    throw new SentinelError(`sentinel version ${String(s.version)} is not ${SENTINEL_VERSION}`);
  if (s.status !== 'succeeded' && s.status !== 'failed')
    throw new SentinelError('sentinel status must be "succeeded" or "failed"');
  if (!Number.isInteger(s.exitCode) || (s.exitCode as number) < 0 || (s.exitCode as number) > 255) {
    throw new SentinelError('sentinel exitCode must be an integer from 0 to 255');
  }
  if ((s.status === 'succeeded') !== (s.exitCode === 0))
    throw new SentinelError('sentinel status and exitCode disagree');
  if (typeof s.finishedAt !== 'string' || Number.isNaN(Date.parse(s.finishedAt))) {
    throw new SentinelError('sentinel finishedAt must be an ISO 8601 time');
  }
  if (s.reason !== undefined && typeof s.reason !== 'string')
    throw new SentinelError('sentinel reason must be a string');
  return s as unknown as Sentinel;
}
