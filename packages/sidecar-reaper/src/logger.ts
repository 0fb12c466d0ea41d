import { type Logger, pino } from 'pino';

/** JSON lines on stderr, so they interleave with, but never corrupt, the child's stdout. */
export function createLogger(level: string): Logger {
  return pino(
    { name: 'sidecar-reaper', level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ fd: 2, sync: true }),
  );
}
