import { describeObject, type K8sObject } from '../k8s-object.ts';
import { containersIn } from '../pod-templates.ts';
import { apiProgramsIn } from './api-programs-in.ts';
import { findObject } from './find-object.ts';
import { hasToken } from './has-token.ts';
import type { Policy } from './policy.ts';

/**
 * RBAC is namespaced (Role/RoleBinding only) and least-privilege both ways: every verb a Role
 * grants is needed by a program running in a pod under a ServiceAccount bound to it, and every
 * program that talks to the API gets what it needs (else it fails at run time).
 */
export const rbacPolicy: Policy = {
  name: 'every RBAC rule is namespaced and needed by a program that uses it',
  check: (objects) => {
    const problems: string[] = objects
      .filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')
      .map((o) => `${describeObject(o)}: cluster-wide RBAC`);
    const programs = containersIn(objects).flatMap(({ pod, container, where }) =>
      apiProgramsIn(container).map((program) => ({
        program,
        where,
        hasToken: hasToken(objects, pod.spec, container),
        serviceAccount: pod.spec.serviceAccountName ?? 'default',
        namespace: pod.namespace,
      })),
    );
    const bindings = objects.filter((o) => o.kind === 'RoleBinding');
    const grants = new Map<string, Set<string>>(); // `${ns}/${sa}` → `resource:verb`
    for (const role of objects.filter((o) => o.kind === 'Role')) {
      const bound = bindings.filter(
        (b) =>
          b.metadata.namespace === role.metadata.namespace &&
          b.roleRef?.kind === 'Role' &&
          b.roleRef?.name === role.metadata.name,
      );
      if (bound.length === 0) problems.push(`${describeObject(role)}: bound by no RoleBinding`);
      const subjects = bound.flatMap((b) => (b.subjects as Subject[] | undefined) ?? []);
      for (const subject of subjects) {
        if (subject.kind !== 'ServiceAccount')
          problems.push(`${describeObject(role)}: bound to a ${subject.kind}`);
        if (subject.namespace !== role.metadata.namespace) {
          problems.push(`${describeObject(role)}: subject ${subject.name} in namespace ${subject.namespace}`);
        }
      }
      const users = programs.filter((p) =>
        subjects.some((s) => s.name === p.serviceAccount && s.namespace === p.namespace),
      );
      for (const rule of (role.rules as Rule[] | undefined) ?? []) {
        for (const resource of rule.resources ?? []) {
          for (const verb of rule.verbs ?? []) {
            const key = `${(rule.apiGroups ?? [''])[0]}/${resource}:${verb}`;
            if (!users.some((u) => NEEDS[u.program]?.includes(key))) {
              problems.push(`${describeObject(role)}: ${key} is needed by no program that runs under it`);
            }
            for (const s of subjects) {
              const id = `${s.namespace}/${s.name}`;
              grants.set(id, (grants.get(id) ?? new Set()).add(key));
            }
          }
        }
      }
    }
    for (const { program, where, serviceAccount, namespace, hasToken } of programs) {
      if (!hasToken) problems.push(`${where}: ${program} talks to the API but gets no service account token`);
      const granted = grants.get(`${namespace}/${serviceAccount}`) ?? new Set();
      for (const need of NEEDS[program] ?? []) {
        if (!granted.has(need))
          problems.push(`${where}: ${program} needs ${need}, not granted to ${serviceAccount}`);
      }
    }
    return problems;
  },
  counterExample: {
    variant: 'scrape-job',
    breakIt(objects) {
      findObject(objects, 'Role', 'sidecar-reaper').rules[0].verbs.push('delete');
      objects.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'too-much' },
      } as K8sObject);
    },
  },
};

// --- internal ---

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}
interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
}

/**
 * What each program asks of the API, from its package: sidecar-reaper reads and watches its own
 * pod (watch-worker-container.ts); grid-exporter's pod-deletion-cost controller lists a pool's
 * pods and merge-patches their annotation (deletion-cost-controller.ts). Both READMEs say the same.
 */
const NEEDS: Record<string, string[]> = {
  'sidecar-reaper': ['/pods:get', '/pods:watch'],
  'grid-exporter/pod-deletion-cost': ['/pods:list', '/pods:patch'],
};
