import { beforeAll, describe, expect, test } from 'vitest';
import { ALL_POLICIES } from './policies/all-policies.ts';
import { kedaPolicy } from './policies/keda-policy.ts';
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

test("the KEDA policy reads a ScaledJob's trigger against the ScaledJob's own pods", () => {
  const objects = structuredClone(variants.find((v) => v.name === 'grid-keda-scaledjob')!.objects);
  const scaledJob = objects.find((o) => o.kind === 'ScaledJob')!;
  scaledJob.spec.triggers[0].metadata.nodeMaxSessions = '2';
  scaledJob.spec.maxReplicaCount = 300;
  expect(kedaPolicy.check(objects)).toEqual([
    'ScaledJob/selenium-node-chrome: nodeMaxSessions 2 but the nodes run 1',
    'hub SE_NEW_SESSION_THREAD_POOL_SIZE 240 < 300 sessions the scalers may start',
  ]);
});

test("the KEDA policy holds burst-start's replica counts to KEDA's own check", () => {
  const objects = structuredClone(variants.find((v) => v.name === 'grid-keda-push+optional')!.objects);
  const scaled = objects.find((o) => o.kind === 'ScaledObject')!;
  expect([scaled.spec.idleReplicaCount, scaled.spec.minReplicaCount]).toEqual([0, 6]);
  scaled.spec.maxReplicaCount = 4;
  scaled.spec.idleReplicaCount = 1;
  expect(kedaPolicy.check(objects)).toEqual([
    'ScaledObject/selenium-node-chrome: minReplicaCount 6 > maxReplicaCount 4',
    'ScaledObject/selenium-node-chrome: idleReplicaCount 1 must be 0 and below minReplicaCount 6',
  ]);
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
      'PersistentVolume',
      'Role',
      'RoleBinding',
      'ScaledJob',
      'ScaledObject',
      'Secret',
      'Service',
      'ServiceAccount',
      'ServiceMonitor',
      'StatefulSet',
      'StorageClass',
      'TriggerAuthentication',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ].sort(),
  );
});
