import type { K8sObject } from '../k8s-object.ts';

/** The object of that kind and name, or a thrown error naming what is missing (test setup). */
export function findObject(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind}/${name} in the rendering`);
  return found;
}
