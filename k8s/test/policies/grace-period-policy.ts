import { containersIn } from '../pod-templates.ts';
import { findObject } from './find-object.ts';
import type { Policy } from './policy.ts';

/**
 * drain-hook's `--deadline-seconds` leaves a margin below the pod's terminationGracePeriodSeconds
 * (the kubelet kills the container at the grace period, preStop included, and the node JVM needs
 * the rest to exit), and browser-node pods wait at least as long as the source article's 3600 s.
 */
export const gracePeriodPolicy: Policy = {
  name: 'grace period exceeds the drain deadline by a margin',
  check: (objects) =>
    containersIn(objects).flatMap(({ pod, container, where }) => {
      const command: string[] = container.lifecycle?.preStop?.exec?.command ?? [];
      if (!command[0]?.endsWith('/drain-hook')) return [];
      const grace = pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
      const flag = command.indexOf('--deadline-seconds');
      const deadline = flag === -1 ? undefined : Number(command[flag + 1]);
      const problems: string[] = [];
      if (deadline === undefined || !Number.isFinite(deadline))
        problems.push('drain-hook has no --deadline-seconds');
      else if (grace - deadline < MIN_MARGIN_SECONDS) {
        problems.push(
          `grace ${grace} s leaves ${grace - deadline} s after the ${deadline} s deadline (< ${MIN_MARGIN_SECONDS})`,
        );
      }
      if (grace < LONGEST_SESSION_SECONDS)
        problems.push(`grace ${grace} s is shorter than ${LONGEST_SESSION_SECONDS} s`);
      return problems.map((problem) => `${where}: ${problem}`);
    }),
  counterExample: {
    variant: 'grid-keda',
    breakIt(objects) {
      const spec = findObject(objects, 'Deployment', 'selenium-node-chrome').spec.template.spec;
      spec.containers[0].lifecycle.preStop.exec.command = [
        '/scrapegrid/bin/drain-hook',
        '--deadline-seconds',
        '3590',
      ];
    },
  },
};

// --- internal ---

const DEFAULT_GRACE_SECONDS = 30;
/**
 * drain-hook's README: margin >= 10 s, "we use 30" (starting the hook, then a clean SIGTERM of the
 * node after a deadline exit). We hold the manifests to the 30.
 */
const MIN_MARGIN_SECONDS = 30;
const LONGEST_SESSION_SECONDS = 3600;
