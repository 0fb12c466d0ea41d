/** The part of a pino logger the drain uses; any pino Logger is one. */
export interface GridLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  child(bindings: Record<string, unknown>): GridLog;
}
