import closeWithGrace from 'close-with-grace';

// close-with-grace listens to these too unless skipped.
const SKIPPED = [
  'SIGHUP',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGSEGV',
  'SIGUSR2',
  'uncaughtException',
  'unhandledRejection',
  'beforeExit',
] as const;

export interface ShutdownSpec {
  /** How long `close` may take after the first SIGTERM/SIGINT; then the process exits 1. */
  readonly graceMs: number;
  readonly log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Runs synchronously just before a forced exit 1 (timeout or second signal): last words only. */
  readonly beforeForcedExit?: (reason: string) => void;
}

/**
 * The one time-boxed shutdown (close-with-grace): on the first SIGTERM or SIGINT `close` runs with
 * the timer already started; a second signal, or `close` not finishing within graceMs, exits 1.
 * When `close` resolves the process exits 0, unless `close` exits first itself (with its own
 * code). close-with-grace is used as is: it starts the timer before `close` (a `close` that
 * blocks the loop cannot defer it) and is what pino's and fastify's authors use for this.
 */
export function onShutdown(
  spec: ShutdownSpec,
  close: (why: { signal?: string; err?: Error }) => Promise<void>,
): { uninstall(): void } {
  const forced = (reason: string) => {
    spec.log.error({ exitCode: 1 }, reason);
    spec.beforeForcedExit?.(reason);
  };
  const handle = closeWithGrace(
    {
      delay: spec.graceMs,
      logger: false,
      // Only SIGTERM (the kubelet) and SIGINT (a terminal) start a shutdown, as before: errors are
      // runMain's to report, and the other signals keep their default action.
      skip: [...SKIPPED],
      onSecondSignal: (signal: string) => forced(`${signal} received twice: stopped at once`),
      onTimeout: (ms: number) => forced(`did not stop within ${ms} ms of the signal`),
    },
    async ({ signal, err }) => {
      if (signal) spec.log.warn({ signal, graceMs: spec.graceMs }, 'stopping');
      await close({ ...(signal ? { signal } : {}), ...(err ? { err } : {}) });
    },
  );
  return { uninstall: handle.uninstall };
}
