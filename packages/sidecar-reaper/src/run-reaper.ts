import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { forwardSignals } from './forward-signals.ts';
import { relaySentinel } from './relay-sentinel.ts';
import { exitCodeOf, type SupervisedChild, startChild } from './start-child.ts';
import { stopSidecar } from './stop-sidecar.ts';
import { waitForSentinel } from './wait-for-sentinel.ts';
import type { WorkerTerminated } from './watch-worker-container.ts';

export interface RunReaperDeps {
  log: Logger;
  /** API access for the pod watch; undefined when there is none. */
  kubeConfig?: KubeConfig | undefined;
}

/**
 * Supervises the sidecar's command until either it ends on its own (the reaper exits with its
 * code) or the worker is done, by sentinel or by the pod status (the reaper stops it and exits 0,
 * so the pod's phase follows the worker's own exit code). Returns the exit code.
 */
export async function runReaper(config: Config, { log, kubeConfig }: RunReaperDeps): Promise<number> {
  // Forwarding starts before the child does: a signal that arrives just after the spawn (the
  // child may already be running when this process gets the CPU again) must not kill the reaper
  // with the default action; one that comes before the child exists is passed on once it does.
  // Never removed: the same holds in the moment between the child's exit and ours (it would exit
  // 143 instead of the child's code).
  let started: SupervisedChild | undefined;
  const early: NodeJS.Signals[] = [];
  forwardSignals(
    {
      get pid() {
        return started?.pid;
      },
      signal: (signal) => (started ? started.signal(signal) : void early.push(signal)),
    },
    log,
  );
  const child = startChild(config.command, config.args);
  started = child;
  for (const signal of early) child.signal(signal);
  const watching = new AbortController();
  log.info({ command: config.command, args: config.args, childPid: child.pid }, 'started the sidecar');

  const waitingFor = [`sentinel ${config.sentinelPath}`];
  const reasons: Promise<WorkerDone>[] = [
    waitForSentinel(config.sentinelPath, {
      pollIntervalMs: config.pollIntervalMs,
      signal: watching.signal,
      log,
    }).then((seen) => ({ source: 'sentinel', seenAt: seen.seenAt, details: { ...seen, seenAt: undefined } })),
  ];
  if (kubeConfig && config.podName && config.podNamespace) {
    waitingFor.push(
      `container ${config.workerContainer} of pod ${config.podNamespace}/${config.podName} to terminate`,
    );
    // Imported here: the Kubernetes client is loaded only by a reaper that has API access.
    const { watchWorkerContainer } = await import('./watch-worker-container.ts');
    reasons.push(
      watchWorkerContainer(
        kubeConfig,
        { name: config.podName, namespace: config.podNamespace, container: config.workerContainer },
        { log, signal: watching.signal },
      ).then((terminated) => ({ source: 'pod-status', seenAt: performance.now(), details: terminated })),
    );
  }
  log.info({ waitingFor }, 'waiting for the worker to finish');

  const first = await Promise.race([child.exited.then((exit) => ({ exit })), ...reasons]);
  if ('exit' in first) {
    watching.abort();
    child.signalGroup('SIGKILL'); // whatever the child left behind in its group
    const code = exitCodeOf(first.exit);
    if (first.exit.startError) {
      log.error({ err: first.exit.startError, command: config.command, code }, 'could not start the command');
    } else {
      log.info({ ...first.exit, exitCode: code }, 'the sidecar exited on its own; exiting with its code');
    }
    return code;
  }
  watching.abort();
  log.info({ source: first.source, ...first.details }, 'the worker is done; stopping the sidecar');
  if (first.source === 'pod-status') await relaySentinel(config.sentinelPath, first.details, log);
  await stopSidecar(child, config, log);
  log.info(
    { msSinceWorkerDone: Math.round(performance.now() - first.seenAt) },
    'stopped because the worker is done; exiting 0',
  );
  return 0;
}

// --- internal ---

type WorkerDone =
  | { source: 'sentinel'; seenAt: number; details: object }
  | { source: 'pod-status'; seenAt: number; details: WorkerTerminated };
