import { describeObject } from '../k8s-object.ts';
import { findObject } from './find-object.ts';
import type { Policy } from './policy.ts';

/**
 * Wherever a Role lets grid-exporter patch pods, the ValidatingAdmissionPolicy that narrows the
 * patch to the deletion-cost annotation ships with it, bound with Deny, and it names exactly the
 * pools' pods grid-exporter's pools file selects (the two must change together). What the policy
 * admits and refuses is proved on a real API server (test/cluster/hardening.integration.test.ts).
 */
export const deletionCostAdmissionPolicy: Policy = {
  name: 'grid-exporter may patch only the deletion-cost annotation of its pools',
  check: (objects) => {
    const patchers = objects.filter(
      (o) =>
        o.kind === 'Role' &&
        (o.rules ?? []).some(
          (r: { resources?: string[]; verbs?: string[] }) =>
            r.resources?.includes('pods') && r.verbs?.includes('patch'),
        ),
    );
    if (patchers.length === 0) return [];
    const policy = objects.find((o) => o.kind === 'ValidatingAdmissionPolicy');
    if (policy === undefined)
      return patchers.map((r) => `${describeObject(r)}: patch on pods without the admission policy`);
    const problems: string[] = [];
    const binding = objects.find(
      (o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.spec?.policyName === policy.metadata.name,
    );
    if (!binding?.spec?.validationActions?.includes('Deny'))
      problems.push(`${describeObject(policy)}: not bound with Deny`);
    if (policy.spec?.failurePolicy !== 'Fail')
      problems.push(`${describeObject(policy)}: failurePolicy is not Fail`);
    const user = (policy.spec?.matchConditions ?? [])
      .map((c: { expression: string }) => c.expression)
      .join(' ');
    if (!user.includes("':grid-exporter'"))
      problems.push(`${describeObject(policy)}: does not match grid-exporter's ServiceAccount`);
    const expressions = [...(policy.spec?.variables ?? []), ...(policy.spec?.validations ?? [])]
      .map((v: { expression: string }) => v.expression)
      .join('\n');
    const named = [...expressions.matchAll(/'(selenium-node-[a-z]+)'/g)].map((m) => m[1]).sort();
    const pools = objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('grid-exporter-pools'),
    );
    const selected = [
      ...String(pools?.data?.['pools.yaml'] ?? '').matchAll(/podSelector: app\.kubernetes\.io\/name=(\S+)/g),
    ]
      .map((m) => m[1])
      .sort();
    if (JSON.stringify(named) !== JSON.stringify(selected))
      problems.push(
        `${describeObject(policy)}: names pods ${named.join(',')}, the pools select ${selected.join(',')}`,
      );
    for (const field of ['labels', 'spec', 'controller.kubernetes.io/pod-deletion-cost']) {
      if (!expressions.includes(field)) problems.push(`${describeObject(policy)}: does not check ${field}`);
    }
    return problems;
  },
  counterExample: {
    variant: 'grid-keda-exporter',
    breakIt(objects) {
      const policy = findObject(
        objects,
        'ValidatingAdmissionPolicy',
        'scrapegrid-grid-exporter-pod-deletion-cost',
      );
      policy.spec.validations = policy.spec.validations.filter(
        (v: { expression: string }) => !v.expression.includes('selenium-node-'),
      );
    },
  },
};
