/** A rendered Kubernetes object as plain data: what `kubectl kustomize` prints, parsed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML is untyped; checks narrow what they read.
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: data, rules, roleRef, subjects… are read by the checks.
  [key: string]: any;
}

/** `Kind/name` for messages. */
export function describeObject(object: K8sObject): string {
  return `${object.kind}/${object.metadata.name}`;
}
