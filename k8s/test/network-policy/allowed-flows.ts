import type { K8sObject } from '../k8s-object.ts';
import { podTemplates } from '../pod-templates.ts';
import { type Endpoint, flowAllowed, type Port } from './flow-allowed.ts';

/**
 * Every connection the rendering's NetworkPolicies allow between its own pods (one per workload,
 * named after it) and the peers around them (OUTSIDERS), on the ports that matter here, as sorted
 * `from -> to port/protocol` lines. Only flows with an end in the rendering's namespace are the
 * manifests' business; the others are left out.
 */
export function allowedFlows(objects: readonly K8sObject[]): string[] {
  const ours: Endpoint[] = podTemplates(objects).map((pod) => ({
    name: pod.owner.metadata.name,
    namespace: pod.namespace ?? 'default',
    labels: pod.labels,
  }));
  const everyone = [...ours, ...OUTSIDERS];
  const namespaces = new Set(ours.map((pod) => ('namespace' in pod ? pod.namespace : '')));
  const governed = (e: Endpoint) => 'namespace' in e && namespaces.has(e.namespace);
  const flows: string[] = [];
  for (const from of everyone) {
    if (!('namespace' in from)) continue; // outside addresses only receive
    for (const to of everyone) {
      if (to === from || (!governed(from) && !governed(to))) continue;
      for (const port of PORTS) {
        if (flowAllowed(objects, from, to, port))
          flows.push(`${from.name} -> ${to.name} ${port.port}/${port.protocol}`);
      }
    }
  }
  return flows.sort();
}

/** The peers a policy names or must keep out. */
export const OUTSIDERS: readonly Endpoint[] = [
  { name: 'keda', namespace: 'keda', labels: { app: 'keda-operator' } },
  { name: 'prometheus', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } },
  { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  // Another pod in the namespace, and a pod elsewhere that copies our labels: neither is let in.
  { name: 'stranger', namespace: 'scrapegrid', labels: { app: 'stranger' } },
  {
    name: 'impostor',
    namespace: 'default',
    labels: {
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/component': 'browser-node',
      'k8s-app': 'kube-dns',
    },
  },
  // Sites, the database and the API server are all addresses outside the pod network.
  { name: 'internet', ip: '203.0.113.10' },
  { name: 'instance-metadata', ip: '169.254.169.254' },
];

// --- internal ---

const PORTS: readonly Port[] = [
  ...[53, 80, 443, 4442, 4443, 4444, 5432, 5555, 6443, 8080, 9010, 9099, 9561].map((port) => ({
    port,
    protocol: 'TCP' as const,
  })),
  { port: 53, protocol: 'UDP' },
];
