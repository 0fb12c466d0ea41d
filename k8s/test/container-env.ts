import type { K8sObject } from './k8s-object.ts';
import type { ContainerInPod } from './pod-templates.ts';

/**
 * The environment a container would see, as far as the rendering decides it: literal values,
 * Secret keys from the Secrets of the same rendering, downward-API pod name and namespace.
 * Throws when a reference points at nothing in the rendering (the pod would not start).
 */
export function containerEnv(
  objects: readonly K8sObject[],
  { pod, container, where }: ContainerInPod,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const secret = secretNamed(objects, from.secretRef?.name, where);
    Object.assign(env, secret.stringData ?? {});
  }
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) env[entry.name] = entry.value;
    else if (entry.valueFrom?.secretKeyRef) {
      const { name, key } = entry.valueFrom.secretKeyRef;
      const value = secretNamed(objects, name, where).stringData?.[key];
      if (value === undefined) throw new Error(`${where}: Secret ${name} has no key ${key}`);
      env[entry.name] = value;
    } else if (entry.valueFrom?.fieldRef?.fieldPath === 'metadata.name')
      env[entry.name] = `${pod.owner.metadata.name}-pod`;
    else if (entry.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace')
      env[entry.name] = pod.namespace ?? 'default';
    else if (entry.valueFrom?.fieldRef?.fieldPath === 'status.podIP') env[entry.name] = '10.0.0.10';
    else throw new Error(`${where}: env ${entry.name} has a source this test cannot resolve`);
  }
  return env;
}

// --- internal ---

function secretNamed(objects: readonly K8sObject[], name: string | undefined, where: string): K8sObject {
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === name);
  if (secret === undefined) throw new Error(`${where}: Secret ${name} is not in the rendering`);
  return secret;
}
