import { posix } from 'node:path';
import { EXECUTABLE, PROGRAMS } from '@scrapegrid/pod-tools';
import { containersIn } from '../pod-templates.ts';
import { findObject } from './find-object.ts';
import type { Policy } from './policy.ts';

/**
 * A binary that a container runs from the shared bin volume (drain-hook as preStop, sidecar-reaper
 * as entrypoint) is where an init container of the same pod puts it: the init container runs
 * `pod-tools install <dir>` (which links each program's name to the one executable) with <dir> on
 * the same volume as the path the other container runs.
 */
export const prestopPathPolicy: Policy = {
  name: 'preStop and wrapper commands exist where the init container installs them',
  check: (objects) =>
    containersIn(objects).flatMap(({ pod, container, where }) => {
      const commands = [
        ['preStop', container.lifecycle?.preStop?.exec?.command?.[0]],
        ['command', container.command?.[0]],
      ].filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].startsWith(BIN_ROOT),
      );
      return commands.flatMap(([what, path]) => {
        const volume = volumeAt(container, path);
        if (volume === undefined) return [`${where}: ${what} ${path} is on no mounted volume`];
        const installers = (pod.spec.initContainers ?? []).filter((init: Untyped) => {
          if (init.restartPolicy === 'Always' || init.args?.[0] !== 'install') return false;
          const dir = init.args[1];
          const mounted = volumeAt(init, posix.join(dir, 'x'));
          return (
            mounted?.name === volume.name &&
            posix.join(mounted.subPath, posix.relative(mounted.mountPath, dir), posix.basename(path)) ===
              posix.join(volume.subPath, posix.relative(volume.mountPath, path)) &&
            (init.image ?? '').split(':')[0] === `scrapegrid/${EXECUTABLE}` &&
            (PROGRAMS as readonly string[]).includes(posix.basename(path))
          );
        });
        return installers.length > 0
          ? []
          : [
              `${where}: ${what} ${path}: no init container of the pod installs ${posix.basename(path)} there`,
            ];
      });
    }),
  counterExample: {
    variant: 'grid-keda',
    breakIt(objects) {
      const spec = findObject(objects, 'Deployment', 'selenium-node-chrome').spec.template.spec;
      spec.initContainers[0].args = ['install', '/scrapegrid/other'];
    },
  },
};

// --- internal ---

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML is untyped.
type Untyped = any;

const BIN_ROOT = '/scrapegrid/';

function volumeAt(
  container: Untyped,
  path: string,
): { name: string; mountPath: string; subPath: string } | undefined {
  const mounts = (container.volumeMounts ?? []) as { name: string; mountPath: string; subPath?: string }[];
  const match = mounts
    .filter((m) => path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  return match && { name: match.name, mountPath: match.mountPath, subPath: match.subPath ?? '' };
}
