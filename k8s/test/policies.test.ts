import { beforeAll, describe, expect, test } from 'vitest';
import { ALL_POLICIES } from './policies/all-policies.ts';
import { type RenderedVariant, renderedVariants } from './rendered-variants.ts';

let variants: readonly RenderedVariant[];
beforeAll(async () => {
  variants = await renderedVariants();
}, 120_000);

describe.each(ALL_POLICIES.map((policy) => [policy.name, policy] as const))('%s', (_name, policy) => {
  test('holds for every overlay and its optional components', () => {
    const violations = variants.flatMap((v) =>
      policy.check(v.objects).map((problem) => `${v.name}: ${problem}`),
    );
    expect(violations).toEqual([]);
  });

  test(`fails on a counter-example (${policy.counterExample.variant})`, () => {
    const variant = variants.find((v) => v.name === policy.counterExample.variant);
    expect(variant, `variant ${policy.counterExample.variant}`).toBeDefined();
    const broken = structuredClone(variant!.objects);
    policy.counterExample.breakIt(broken);
    expect(policy.check(broken).length).toBeGreaterThan(0);
  });
});

test('the policies see every workload kind the overlays ship', () => {
  const kinds = new Set(variants.flatMap((v) => v.objects.map((o) => o.kind)));
  expect([...kinds].sort()).toEqual(
    [
      'ConfigMap',
      'CronJob',
      'Deployment',
      'Job',
      'Namespace',
      'NetworkPolicy',
      'Role',
      'RoleBinding',
      'ScaledObject',
      'Secret',
      'Service',
      'ServiceAccount',
      'ServiceMonitor',
      'TriggerAuthentication',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ].sort(),
  );
});
