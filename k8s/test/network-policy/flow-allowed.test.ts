import { describe, expect, test } from 'vitest';
import type { K8sObject } from '../k8s-object.ts';
import { type Endpoint, flowAllowed } from './flow-allowed.ts';

const policy = (name: string, spec: object): K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'ns' },
  spec,
});
const web: Endpoint = { name: 'web', namespace: 'ns', labels: { app: 'web' } };
const db: Endpoint = { name: 'db', namespace: 'ns', labels: { app: 'db', tier: 'data' } };
const monitor: Endpoint = { name: 'monitor', namespace: 'monitoring', labels: { app: 'prom' } };
const elsewhere: Endpoint = { name: 'elsewhere', namespace: 'other', labels: { app: 'prom' } };
const tcp = (port: number) => ({ port, protocol: 'TCP' as const });

describe('flowAllowed follows NetworkPolicy semantics', () => {
  test('no policy: everything flows; a policy selecting the receiver isolates it for ingress only', () => {
    expect(flowAllowed([], web, db, tcp(5432))).toBe(true);
    const deny = [policy('deny', { podSelector: { matchLabels: { app: 'db' } } })];
    expect(flowAllowed(deny, web, db, tcp(5432))).toBe(false);
    expect(flowAllowed(deny, db, web, tcp(80))).toBe(true);
  });

  test('egress is isolated only when policyTypes (or an egress section) says so', () => {
    const egressDeny = [policy('deny', { podSelector: {}, policyTypes: ['Egress'] })];
    expect(flowAllowed(egressDeny, web, db, tcp(5432))).toBe(false);
    // Without policyTypes, an egress section makes the policy Ingress + Egress: web is isolated both ways.
    const withEgress = [
      policy('e', { podSelector: { matchLabels: { app: 'web' } }, egress: [{ ports: [{ port: 5432 }] }] }),
    ];
    expect(flowAllowed(withEgress, db, web, tcp(80))).toBe(false);
    expect(flowAllowed(withEgress, web, db, tcp(5432))).toBe(true);
    expect(flowAllowed(withEgress, web, db, tcp(5433))).toBe(false);
    expect(flowAllowed(withEgress, web, db, { port: 5432, protocol: 'UDP' })).toBe(false);
  });

  test('namespaceSelector and podSelector in one peer must both match; in two peers either may', () => {
    const both = [
      policy('p', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
                podSelector: { matchLabels: { app: 'prom' } },
              },
            ],
          },
        ],
      }),
    ];
    expect(flowAllowed(both, monitor, db, tcp(9000))).toBe(true);
    expect(flowAllowed(both, elsewhere, db, tcp(9000))).toBe(false);
    expect(flowAllowed(both, web, db, tcp(9000))).toBe(false);
    const either = [
      policy('p', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
              { podSelector: { matchLabels: { app: 'web' } } },
            ],
          },
        ],
      }),
    ];
    expect(flowAllowed(either, monitor, db, tcp(9000))).toBe(true);
    expect(flowAllowed(either, web, db, tcp(9000))).toBe(true);
    expect(flowAllowed(either, elsewhere, db, tcp(9000))).toBe(false);
  });

  test('a podSelector alone means pods of the policy namespace; matchExpressions are honoured', () => {
    const p = [
      policy('p', {
        podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['data'] }] },
        ingress: [
          { from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] } }] },
        ],
      }),
    ];
    expect(flowAllowed(p, web, db, tcp(1))).toBe(true);
    expect(flowAllowed(p, { ...web, namespace: 'other' }, db, tcp(1))).toBe(false);
    expect(flowAllowed(p, { ...web, labels: { tier: 'x' } }, db, tcp(1))).toBe(false);
  });

  test('ipBlock matches outside addresses in the CIDR but not in except, and never a pod', () => {
    const p = [
      policy('p', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }],
      }),
    ];
    expect(flowAllowed(p, web, { name: 'a', ip: '10.2.3.4' }, tcp(443))).toBe(true);
    expect(flowAllowed(p, web, { name: 'b', ip: '10.1.3.4' }, tcp(443))).toBe(false);
    expect(flowAllowed(p, web, { name: 'c', ip: '11.0.0.1' }, tcp(443))).toBe(false);
    expect(flowAllowed(p, web, db, tcp(443))).toBe(false);
  });

  test('a named port is refused rather than guessed', () => {
    const p = [policy('p', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] })];
    expect(() => flowAllowed(p, web, db, tcp(80))).toThrow(/named port "http"/);
  });
});
