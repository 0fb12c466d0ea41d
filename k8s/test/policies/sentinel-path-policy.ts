import { posix } from 'node:path';
import { containersIn, envValue, type PodTemplate, setEnvValue } from '../pod-templates.ts';
import { findObject } from './find-object.ts';
import type { Policy } from './policy.ts';

/**
 * In a scrape pod with sidecar-reaper, every reaper watches the file the worker writes: the same
 * path, on the same disk-backed volume mounted at the same place in both containers.
 */
export const sentinelPathPolicy: Policy = {
  name: "the reaper's sentinel path is the path the worker writes",
  check: (objects) => {
    const all = containersIn(objects);
    return all
      .filter(({ container }) => String(container.command?.[0] ?? '').endsWith('/sidecar-reaper'))
      .flatMap(({ pod, container, where }) => {
        const worker = all.find((c) => c.pod === pod && c.container.name === WORKER);
        if (worker === undefined) return [`${where}: no worker container in the pod`];
        const written = envValue(worker.container, 'WORKER_SENTINEL_PATH') ?? DEFAULT_SENTINEL_PATH;
        const watched = envValue(container, 'SIDECAR_REAPER_SENTINEL_PATH') ?? DEFAULT_SENTINEL_PATH;
        if (written !== watched) return [`${where}: watches ${watched}, the worker writes ${written}`];
        const workerVolume = mountFor(worker.container, written);
        const reaperVolume = mountFor(container, watched);
        if (workerVolume === undefined) return [`${where}: the worker's ${written} is on no volume`];
        if (workerVolume !== reaperVolume) return [`${where}: ${watched} is not on the worker's volume`];
        return isMemoryBacked(pod, workerVolume) ? [`${where}: the sentinel volume is memory-backed`] : [];
      });
  },
  counterExample: {
    variant: 'scrape-job',
    breakIt(objects) {
      const hub = findObject(objects, 'Job', 'scrape-job').spec.template.spec.containers.find(
        (c: { name: string }) => c.name === 'hub',
      );
      setEnvValue(hub, 'SIDECAR_REAPER_SENTINEL_PATH', '/tmp/done.json', 'the counter-example');
    },
  },
};

// --- internal ---

const WORKER = 'worker';
/** @scrapegrid/sentinel's DEFAULT_SENTINEL_PATH, the default of both programs. */
const DEFAULT_SENTINEL_PATH = '/tmp/scrapegrid/worker-done.json';

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML is untyped.
function mountFor(container: any, path: string): string | undefined {
  const mounts = (container.volumeMounts ?? []) as { name: string; mountPath: string }[];
  const dir = posix.dirname(path);
  return mounts
    .filter((m) => `${dir}/`.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)
    .map((m) => `${m.name}@${m.mountPath}`)[0];
}

function isMemoryBacked(pod: PodTemplate, mount: string): boolean {
  const name = mount.split('@')[0];
  const volume = (pod.spec.volumes ?? []).find((v: { name: string }) => v.name === name);
  return volume?.emptyDir?.medium === 'Memory';
}
