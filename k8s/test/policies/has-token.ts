import type { K8sObject } from '../k8s-object.ts';

/**
 * Whether a container can read a ServiceAccount token: a mounted volume projecting one (at any
 * path), or the automount (the pod-level setting wins over the ServiceAccount's; default on).
 */
// biome-ignore lint/suspicious/noExplicitAny: rendered YAML is untyped.
export function hasToken(objects: readonly K8sObject[], podSpec: any, container: any): boolean {
  const mounted = (container.volumeMounts ?? []).some((m: { name: string }) =>
    (podSpec.volumes ?? []).some(
      (v: { name: string; projected?: { sources?: { serviceAccountToken?: unknown }[] } }) =>
        v.name === m.name && v.projected?.sources?.some((s) => s.serviceAccountToken),
    ),
  );
  if (mounted) return true;
  if (podSpec.automountServiceAccountToken !== undefined)
    return podSpec.automountServiceAccountToken === true;
  const account = objects.find(
    (o) => o.kind === 'ServiceAccount' && o.metadata.name === (podSpec.serviceAccountName ?? 'default'),
  );
  return account?.automountServiceAccountToken !== false;
}
