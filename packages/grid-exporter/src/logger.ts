import { destination, type Logger, pino } from 'pino';

/** JSON logs on stderr: stdout belongs to `once`'s exposition text. */
export function makeLogger(level: string): Logger {
  return pino({ level, base: { app: 'grid-exporter' } }, destination({ fd: 2, sync: true }));
}
