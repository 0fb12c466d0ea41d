import type { Logger } from 'pino';
import type { SupervisedChild } from './start-child.ts';

/** What the reaper passes on: termination requests and the ones supervisord uses for control. */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = [
  'SIGTERM',
  'SIGINT',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
];

/**
 * Passes signals sent to the reaper on to its child, as a supervisor must: the kubelet sends
 * SIGTERM to PID 1 only. The reaper itself does not exit on them; it exits when the child does,
 * with the child's code. Returns a function that removes the handlers.
 */
export function forwardSignals(child: Pick<SupervisedChild, 'pid' | 'signal'>, log: Logger): () => void {
  const handlers = FORWARDED_SIGNALS.map((signal) => {
    const handler = () => {
      log.info({ signal, childPid: child.pid }, 'forwarding signal to the child');
      child.signal(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
