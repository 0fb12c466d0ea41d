import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, type KubeConfig, type V1Pod, Watch } from '@kubernetes/client-node';
import type { Logger } from 'pino';

export interface PodTarget {
  name: string;
  namespace: string;
  /** The worker container whose end ends the sidecars. */
  container: string;
}

export interface WorkerTerminated {
  exitCode: number;
  /** The kubelet's reason: Completed, Error, OOMKilled… */
  reason: string;
  signal?: number;
  finishedAt?: string;
  via: 'list' | 'watch';
}

export interface WatchWorkerOptions {
  log: Logger;
  signal: AbortSignal;
  /** First back-off after a failed list or watch; doubles up to 30 s. */
  retryMs?: number;
}

/**
 * Resolves when the pod's worker container is terminated, seen through the Kubernetes API: the
 * only way to notice a worker that was SIGKILLed (OOM, eviction) and so never wrote the sentinel.
 * It follows the list-then-watch protocol of client-go's reflector, with GET in place of LIST so
 * RBAC get + watch suffice: GET the pod, watch from its resourceVersion with bookmarks, resume from
 * the last version seen when the stream ends, and read the pod again when the server answers
 * 410 Gone (the version was compacted away).
 * A 401/403 means no RBAC: it logs that once and never resolves (the sentinel still works).
 */
export function watchWorkerContainer(
  kc: KubeConfig,
  target: PodTarget,
  options: WatchWorkerOptions,
): Promise<WorkerTerminated> {
  const { log, signal } = options;
  const firstRetryMs = options.retryMs ?? 1_000;
  const api = kc.makeApiClient(CoreV1Api);
  const watch = new Watch(kc);
  const path = `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods`;
  let warnedMissing = false;

  const terminatedIn = (pod: V1Pod, via: WorkerTerminated['via']): WorkerTerminated | undefined => {
    const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
    const status = statuses.find((s) => s.name === target.container);
    if (!status) {
      if (!warnedMissing && statuses.length > 0) {
        warnedMissing = true;
        log.warn(
          { container: target.container, containers: statuses.map((s) => s.name) },
          'the pod has no container by that name: check SIDECAR_REAPER_WORKER_CONTAINER',
        );
      }
      return undefined;
    }
    const t = status.state?.terminated;
    if (!t) return undefined;
    return {
      exitCode: t.exitCode,
      reason: t.reason ?? 'Unknown',
      ...(t.signal === undefined ? {} : { signal: t.signal }),
      ...(t.finishedAt === undefined ? {} : { finishedAt: new Date(t.finishedAt).toISOString() }),
      via,
    };
  };

  return new Promise<WorkerTerminated>((resolve) => {
    let retryMs = firstRetryMs;
    let current: AbortController | undefined;
    let finished = false;
    const finish = (seen: WorkerTerminated) => {
      finished = true;
      current?.abort();
      resolve(seen);
    };
    signal.addEventListener('abort', () => current?.abort(), { once: true });

    const run = async (): Promise<void> => {
      let resourceVersion: string | undefined;
      let needGet = true;
      let afterGone = false;
      while (!signal.aborted && !finished) {
        if (needGet) {
          try {
            const pod = await api.readNamespacedPod({ name: target.name, namespace: target.namespace });
            retryMs = firstRetryMs;
            const seen = terminatedIn(pod, 'list');
            if (seen) return finish(seen);
            needGet = false;
            // A single object's resourceVersion is when it last changed, which may itself be
            // compacted away; after a 410 the watch starts from "now" (no resourceVersion: the
            // server sends the current pod as ADDED), which needs no list permission.
            resourceVersion = afterGone ? undefined : pod.metadata?.resourceVersion;
            log.debug({ resourceVersion }, 'read the pod');
          } catch (error) {
            const code = (error as { code?: number }).code;
            if (code === 401 || code === 403) {
              log.warn(
                { err: error, pod: target.name, namespace: target.namespace },
                'no permission to read this pod (RBAC get/watch on pods is needed): relying on the sentinel and the Job activeDeadlineSeconds',
              );
              return;
            }
            log.warn({ err: error, retryMs }, 'could not read the pod; retrying');
            await _pause(retryMs, signal);
            retryMs = Math.min(retryMs * 2, 30_000);
            continue;
          }
        }
        const outcome = await new Promise<'relist' | 'resume' | 'error'>((settle) => {
          let gone = false;
          void watch
            .watch(
              path,
              {
                fieldSelector: `metadata.name=${target.name}`,
                resourceVersion,
                allowWatchBookmarks: true,
              },
              (type: string, object: V1Pod & { code?: number; message?: string }) => {
                if (type === 'ERROR') {
                  // A Status object in the stream; 410 means our resourceVersion is too old.
                  log.info({ code: object.code, message: object.message }, 'watch error event');
                  if (object.code === 410) gone = true;
                  return;
                }
                if (object.metadata?.resourceVersion) resourceVersion = object.metadata.resourceVersion;
                if (type === 'BOOKMARK') return;
                const seen = terminatedIn(object, 'watch');
                if (seen) finish(seen);
              },
              (error: (Error & { statusCode?: number }) | null) => {
                if (error?.statusCode === 410 || gone) settle('relist');
                else if (error && error.name !== 'AbortError' && error.name !== 'TimeoutError') {
                  log.warn({ err: error, retryMs }, 'pod watch failed; retrying');
                  settle('error');
                } else settle('resume');
              },
            )
            .then((controller) => {
              current = controller;
              if (signal.aborted) controller.abort();
            });
        });
        if (outcome === 'relist') {
          log.info({ resourceVersion }, 'resourceVersion expired (410 Gone): reading the pod again');
          needGet = true;
          afterGone = true;
        } else if (outcome === 'error') {
          await _pause(retryMs, signal);
          retryMs = Math.min(retryMs * 2, 30_000);
        } else {
          // The server ends watches on its own (timeoutSeconds); resume from the last version,
          // after a short pause so a server that closes at once is not hammered.
          retryMs = firstRetryMs;
          await _pause(100, signal);
        }
      }
    };
    void run();
  });
}

// --- internal ---

async function _pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
