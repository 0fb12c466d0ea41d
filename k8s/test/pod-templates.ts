import type { K8sObject } from './k8s-object.ts';

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML is untyped; checks narrow what they read.
type Untyped = any;

export interface PodTemplate {
  owner: K8sObject;
  namespace: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: Untyped;
}

export interface ContainerInPod {
  pod: PodTemplate;
  /** init: runs to completion first; sidecar: init container with restartPolicy Always; main. */
  role: 'init' | 'sidecar' | 'main';
  container: Untyped;
  /** `Kind/name container` for messages. */
  where: string;
}

/**
 * The pod template of every workload (Deployment, Job, CronJob, and KEDA's ScaledJob, whose Jobs
 * KEDA creates from it) in a rendering.
 */
export function podTemplates(objects: readonly K8sObject[]): PodTemplate[] {
  return objects.flatMap((owner) => {
    const template =
      owner.kind === 'CronJob'
        ? owner.spec?.jobTemplate?.spec?.template
        : owner.kind === 'ScaledJob'
          ? owner.spec?.jobTargetRef?.template
          : WORKLOADS.has(owner.kind)
            ? owner.spec?.template
            : undefined;
    if (template === undefined) return [];
    return [
      {
        owner,
        namespace: owner.metadata.namespace,
        labels: template.metadata?.labels ?? {},
        annotations: template.metadata?.annotations ?? {},
        spec: template.spec ?? {},
      },
    ];
  });
}

/** Every container of every pod template, init containers and native sidecars included. */
export function containersIn(objects: readonly K8sObject[]): ContainerInPod[] {
  return podTemplates(objects).flatMap((pod) => [
    ...(pod.spec.initContainers ?? []).map((container: Untyped) => ({
      pod,
      role: container.restartPolicy === 'Always' ? ('sidecar' as const) : ('init' as const),
      container,
      where: `${pod.owner.kind}/${pod.owner.metadata.name} ${container.name}`,
    })),
    ...(pod.spec.containers ?? []).map((container: Untyped) => ({
      pod,
      role: 'main' as const,
      container,
      where: `${pod.owner.kind}/${pod.owner.metadata.name} ${container.name}`,
    })),
  ]);
}

/** A container's env value by name (literal values only), or undefined. */
export function envValue(container: Untyped, name: string): string | undefined {
  const entry = (container?.env ?? []).find((e: Untyped) => e.name === name);
  return entry?.value;
}

/**
 * Sets a literal env value the container already has: a test or bench that reshapes a shipped
 * manifest follows it, so a renamed or removed variable fails loudly instead of being added.
 */
export function setEnvValue(container: Untyped, name: string, value: string, who: string): void {
  const entry = (container?.env ?? []).find((e: Untyped) => e.name === name);
  if (!entry)
    throw new Error(`${who}: container ${container?.name} sets no ${name}; follow the shipped manifest`);
  entry.value = value;
}

/** The image name without tag or digest (`selenium/hub:4.48.0` → `selenium/hub`). */
export function imageName(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

// --- internal ---

const WORKLOADS = new Set(['Deployment', 'Job', 'StatefulSet', 'DaemonSet']);
