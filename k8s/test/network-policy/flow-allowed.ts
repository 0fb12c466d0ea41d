import type { K8sObject } from '../k8s-object.ts';

/** A pod (namespace and labels) or an address outside the cluster (ip). */
export type Endpoint =
  | { name: string; namespace: string; labels: Record<string, string> }
  | { name: string; ip: string };

export interface Port {
  port: number;
  protocol: 'TCP' | 'UDP';
}

/**
 * Whether NetworkPolicy semantics (networking.k8s.io/v1) let `from` open a connection to `to` on
 * `port`, given every NetworkPolicy in `policies`: the sender's egress and the receiver's ingress
 * must both allow it. A pod no policy selects for a direction is not isolated in it. Namespaces
 * carry only the label the API server sets, kubernetes.io/metadata.name. An ipBlock matches
 * addresses outside the cluster only (what it does to pod IPs is left to the implementation, so
 * the manifests must not rely on it). Named ports are refused: the evaluator would have to
 * resolve them per pod, and the manifests use numbers.
 */
export function flowAllowed(
  policies: readonly K8sObject[],
  from: Endpoint,
  to: Endpoint,
  port: Port,
): boolean {
  const networkPolicies = policies.filter((p) => p.kind === 'NetworkPolicy');
  return (
    _allowedBy(networkPolicies, 'Egress', from, to, port) &&
    _allowedBy(networkPolicies, 'Ingress', to, from, port)
  );
}

// --- internal ---

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML is untyped; this reads what it checks.
type Untyped = any;

/** The policies of `direction` that select `subject` allow `peer` (or none selects it). */
function _allowedBy(
  policies: readonly K8sObject[],
  direction: 'Ingress' | 'Egress',
  subject: Endpoint,
  peer: Endpoint,
  port: Port,
): boolean {
  if (!('namespace' in subject)) return true; // outside the cluster: no policy of ours applies
  const selecting = policies.filter(
    (p) =>
      p.metadata.namespace === subject.namespace &&
      _policyTypes(p).includes(direction) &&
      _selectorMatches(p.spec?.podSelector ?? {}, subject.labels),
  );
  if (selecting.length === 0) return true;
  const key = direction === 'Ingress' ? 'from' : 'to';
  return selecting.some((p) =>
    ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some(
      (rule: Untyped) =>
        _portsMatch(rule.ports, port) &&
        (rule[key] === undefined ||
          rule[key].length === 0 ||
          rule[key].some((item: Untyped) => _peerMatches(item, p.metadata.namespace as string, peer))),
    ),
  );
}

function _policyTypes(policy: K8sObject): string[] {
  return policy.spec?.policyTypes ?? ['Ingress', ...(policy.spec?.egress ? ['Egress'] : [])];
}

function _peerMatches(item: Untyped, policyNamespace: string, peer: Endpoint): boolean {
  if (item.ipBlock) {
    if (!('ip' in peer)) return false;
    return (
      _inCidr(peer.ip, item.ipBlock.cidr) &&
      !(item.ipBlock.except ?? []).some((cidr: string) => _inCidr(peer.ip, cidr))
    );
  }
  if (!('namespace' in peer)) return false;
  const namespaceMatches = item.namespaceSelector
    ? _selectorMatches(item.namespaceSelector, { 'kubernetes.io/metadata.name': peer.namespace })
    : peer.namespace === policyNamespace;
  return namespaceMatches && _selectorMatches(item.podSelector ?? {}, peer.labels);
}

function _portsMatch(ports: Untyped[] | undefined, { port, protocol }: Port): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port !== 'number') throw new Error(`named port ${JSON.stringify(p.port)} is not evaluated`);
    return p.endPort === undefined ? p.port === port : port >= p.port && port <= p.endPort;
  });
}

function _selectorMatches(selector: Untyped, labels: Record<string, string>): boolean {
  const equal = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    equal &&
    (selector.matchExpressions ?? []).every((e: Untyped) => {
      const has = Object.hasOwn(labels, e.key);
      switch (e.operator) {
        case 'In':
          return has && e.values.includes(labels[e.key]);
        case 'NotIn':
          return !has || !e.values.includes(labels[e.key]);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        default:
          throw new Error(`unknown selector operator ${e.operator}`);
      }
    })
  );
}

function _inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const prefix = Number(bits ?? 32);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (_ipv4(ip) & mask) >>> 0 === (_ipv4(base as string) & mask) >>> 0;
}

function _ipv4(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return parts.reduce((n, p) => ((n << 8) | p) >>> 0, 0);
}
