import { describeObject } from '../k8s-object.ts';
import { containersIn, imageName, podTemplates } from '../pod-templates.ts';
import { findObject } from './find-object.ts';
import type { Policy } from './policy.ts';

/**
 * Every container as strict as its image allows: non-root numeric UID, no privilege escalation,
 * all capabilities dropped, RuntimeDefault seccomp; read-only root filesystem for our images.
 * The selenium images run as seluser (1200) and write under /opt/selenium and /var at start, so
 * they alone keep a writable root filesystem. Together with the volume types this is the Pod
 * Security Standard "restricted".
 */
export const securityContextPolicy: Policy = {
  name: 'every container has a hardened securityContext',
  check: (objects) => [
    ...containersIn(objects).flatMap(({ pod, container, where }) => {
      const problems: string[] = [];
      const sc = container.securityContext ?? {};
      const podSc = pod.spec.securityContext ?? {};
      const image = imageName(container.image ?? '');
      const selenium = image.startsWith('selenium/');
      const uid = sc.runAsUser ?? podSc.runAsUser;
      if (!Number.isInteger(uid) || uid === 0) problems.push(`runAsUser must be a non-zero UID, got ${uid}`);
      if (selenium && uid !== SELENIUM_UID)
        problems.push(`selenium images run as ${SELENIUM_UID}, got ${uid}`);
      if (image.startsWith('scrapegrid/') && uid !== IMAGE_UIDS[image]) {
        problems.push(`${image} runs as ${IMAGE_UIDS[image]} (its USER), got ${uid}`);
      }
      if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) problems.push('runAsNonRoot is not true');
      if (sc.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation is not false');
      if (sc.privileged === true) problems.push('privileged');
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push('capabilities.drop lacks ALL');
      if ((sc.capabilities?.add ?? []).length > 0) problems.push('capabilities.add is not empty');
      if ((sc.seccompProfile ?? podSc.seccompProfile)?.type !== 'RuntimeDefault') {
        problems.push('seccompProfile is not RuntimeDefault');
      }
      if (!selenium && sc.readOnlyRootFilesystem !== true)
        problems.push('readOnlyRootFilesystem is not true');
      if (pod.spec.hostNetwork || pod.spec.hostPID || pod.spec.hostIPC) problems.push('uses host namespaces');
      if ((container.ports ?? []).some((p: { hostPort?: number }) => p.hostPort))
        problems.push('uses a hostPort');
      return problems.map((problem) => `${where}: ${problem}`);
    }),
    // Pod Security Standard "restricted": only these volume types.
    ...podTemplates(objects).flatMap((pod) =>
      (pod.spec.volumes ?? []).flatMap((volume: Record<string, unknown>) =>
        Object.keys(volume)
          .filter((key) => key !== 'name' && !RESTRICTED_VOLUME_TYPES.includes(key))
          .map((key) => `${describeObject(pod.owner)}: volume ${volume.name} is a ${key}`),
      ),
    ),
  ],
  counterExample: {
    variant: 'grid-keda-exporter',
    breakIt(objects) {
      const sc = findObject(objects, 'Deployment', 'grid-exporter').spec.template.spec.containers[0]
        .securityContext;
      sc.readOnlyRootFilesystem = false;
      sc.capabilities = { add: ['NET_ADMIN'] };
      findObject(objects, 'Deployment', 'grid-exporter').spec.template.spec.volumes.push({
        name: 'docker',
        hostPath: { path: '/var/run/docker.sock' },
      });
    },
  },
};

// --- internal ---

const SELENIUM_UID = 1200;
const RESTRICTED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
/** The USER of each image built from images/ (images/README.md). */
const IMAGE_UIDS: Record<string, number> = {
  'scrapegrid/worker': 1000,
  'scrapegrid/grid-exporter': 65532,
  'scrapegrid/pod-tools': 65532,
  // images/demo-site (k8s/overlays/demo): the Node base image's node user.
  'scrapegrid/demo-site': 1000,
};
