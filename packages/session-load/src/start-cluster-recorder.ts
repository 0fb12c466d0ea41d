import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CoreV1Api, type KubeConfig, Watch } from '@kubernetes/client-node';
import { applyPodEvent, type PodEventType } from './apply-pod-event.ts';
import { markMissingGone } from './mark-missing-gone.ts';
import type { PodLifetime, PodObject } from './pod-lifetime.ts';

/** One read of the Deployment's scale. Times are epoch ms. */
export interface ReplicaSample {
  readonly at: number;
  /** spec.replicas: what the autoscaler asked for. */
  readonly spec: number;
  /** status.replicas: pods the Deployment has (Terminating ones not counted). */
  readonly status: number;
  readonly ready: number;
}

export interface ClusterRecording {
  readonly startedAt: number;
  readonly endedAt: number;
  /** Every pod the selector matched while recording, in the order first seen. */
  readonly pods: readonly PodLifetime[];
  /** Each second, when a deployment was named. */
  readonly replicas: readonly ReplicaSample[];
  /** Times the pod watch was started again (stream ended, 410 Gone, error). */
  readonly watchRestarts: number;
  /** Deployment reads that failed. */
  readonly failedSamples: number;
  /** The last few API errors, for the report. */
  readonly errors: readonly string[];
}

export interface ClusterRecorderOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  /** Label selector of the browser node pods, e.g. `app.kubernetes.io/component=chrome-node`. */
  readonly selector: string;
  /** The node Deployment whose spec/status replicas are sampled; none for a ScaledJob. */
  readonly deployment?: string;
  /** Default 1000 ms. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

export interface ClusterRecorder {
  /** The pods recorded so far (a live look, e.g. to wait for one to go). */
  pods(): readonly PodLifetime[];
  /** Stops watching and sampling; resolves with everything recorded. */
  stop(): Promise<ClusterRecording>;
}

/**
 * Records the browser pods' lives and the Deployment's replicas while a load runs. Resolves once
 * the first list is in (so no pod of the run is missed). Pods: list, then watch from the list's
 * resourceVersion with bookmarks; a 410 Gone or a failed watch relists, and pods the relist no
 * longer has are marked gone then. API failures are recorded, never thrown, after the first list.
 */
export async function startClusterRecorder(options: ClusterRecorderOptions): Promise<ClusterRecorder> {
  const { kubeConfig, namespace, selector } = options;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 1_000;
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const watch = new Watch(kubeConfig);
  const pods = new Map<string, PodLifetime>();
  const replicas: ReplicaSample[] = [];
  const errors: string[] = [];
  const stopping = new AbortController();
  let watchRestarts = 0;
  let failedSamples = 0;
  const startedAt = now();
  const note = (what: string, error: unknown) => {
    errors.push(`${new Date(now()).toISOString()} ${what}: ${(error as Error)?.message ?? String(error)}`);
    if (errors.length > 20) errors.shift();
  };

  const list = async (): Promise<string> => {
    const answer = await core.listNamespacedPod({ namespace, labelSelector: selector });
    const at = now();
    const listed = new Set<string>();
    for (const pod of answer.items) {
      applyPodEvent(pods, 'ADDED', pod as PodObject, at);
      if (pod.metadata?.uid) listed.add(pod.metadata.uid);
    }
    markMissingGone(pods, listed, at);
    return answer.metadata?.resourceVersion ?? '';
  };

  // The first list throws: a wrong namespace or missing RBAC is the caller's to fix before a run.
  let resourceVersion = await list();

  const watchLoop = async (): Promise<void> => {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
    let relist = false;
    while (!stopping.signal.aborted) {
      if (relist) {
        try {
          resourceVersion = await list();
          relist = false;
        } catch (error) {
          note('relist pods', error);
          await _pause(1_000, stopping.signal);
          continue;
        }
      }
      const ended = await new Promise<'gone' | 'ended' | 'error'>((settle) => {
        let gone = false;
        watch
          .watch(
            path,
            { labelSelector: selector, resourceVersion, allowWatchBookmarks: true },
            (type, object: PodObject & { code?: number; metadata?: { resourceVersion?: string } }) => {
              if (type === 'ERROR') {
                if (object.code === 410) gone = true;
                return;
              }
              if (object.metadata?.resourceVersion) resourceVersion = object.metadata.resourceVersion;
              if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
                applyPodEvent(pods, type as PodEventType, object, now());
              }
            },
            (error: unknown) => {
              if (error && !stopping.signal.aborted) note('pod watch', error);
              settle(gone ? 'gone' : error ? 'error' : 'ended');
            },
          )
          .then(
            (controller) => {
              if (stopping.signal.aborted) controller.abort();
              else stopping.signal.addEventListener('abort', () => controller.abort(), { once: true });
            },
            (error: unknown) => {
              if (!stopping.signal.aborted) note('pod watch', error);
              const code =
                (error as { code?: number; statusCode?: number }).code ??
                (error as { statusCode?: number }).statusCode;
              if (code === 410) gone = true;
              settle(gone ? 'gone' : 'error');
            },
          );
      });
      if (stopping.signal.aborted) return;
      watchRestarts++;
      // A stream the server ended resumes from the last version seen; anything else relists.
      relist = ended !== 'ended';
      if (ended === 'error') await _pause(1_000, stopping.signal);
    }
  };

  const sampleLoop = async (): Promise<void> => {
    const name = options.deployment;
    if (name === undefined) return;
    while (!stopping.signal.aborted) {
      const due = now() + intervalMs;
      try {
        const d = await apps.readNamespacedDeployment({ name, namespace });
        replicas.push({
          at: now(),
          spec: d.spec?.replicas ?? 0,
          status: d.status?.replicas ?? 0,
          ready: d.status?.readyReplicas ?? 0,
        });
      } catch (error) {
        failedSamples++;
        note(`read deployment ${name}`, error);
      }
      await _pause(Math.max(0, due - now()), stopping.signal);
    }
  };

  const loops = Promise.all([watchLoop(), sampleLoop()]);
  return {
    pods: () => [...pods.values()],
    async stop() {
      stopping.abort();
      // Bounded: a request in flight ends with its own timeout; the loops check the signal.
      const deadline = new AbortController();
      await Promise.race([loops, _pause(STOP_DEADLINE_MS, deadline.signal)]);
      deadline.abort();
      return {
        startedAt,
        endedAt: now(),
        pods: [...pods.values()],
        replicas,
        watchRestarts,
        failedSamples,
        errors,
      };
    },
  };
}

// --- internal ---

const STOP_DEADLINE_MS = 10_000;

async function _pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // Stopped: the loop checks the signal.
  }
}
