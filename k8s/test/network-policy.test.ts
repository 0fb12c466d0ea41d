import { beforeAll, describe, expect, test } from 'vitest';
import { allowedFlows } from './network-policy/allowed-flows.ts';
import { BESIDE_A_GRID, type RenderedVariant, renderedVariants } from './rendered-variants.ts';

let variants: readonly RenderedVariant[];
beforeAll(async () => {
  variants = await renderedVariants();
}, 120_000);

/**
 * Exactly the flows each shape needs (k8s/README.md, "Security"), evaluated over the rendered
 * NetworkPolicies: anything more is a hole, anything less breaks the shape. `<node>` stands for
 * each browser-node pool the variant deploys.
 */
const DNS = ['53/TCP', '53/UDP'];
// dns-egress selects every pod of the namespace, a pod of nobody's (stranger) included; nothing else.
const ANY_POD = DNS.map((p) => `stranger -> coredns ${p}`);
const SHARED_GRID = [
  ...DNS.map((p) => `selenium-hub -> coredns ${p}`),
  'selenium-hub -> <node> 5555/TCP',
  ...DNS.map((p) => `<node> -> coredns ${p}`),
  '<node> -> selenium-hub 4442/TCP',
  '<node> -> selenium-hub 4443/TCP',
  '<node> -> selenium-hub 4444/TCP',
  '<node> -> internet 80/TCP',
  '<node> -> internet 443/TCP',
];
const EXPORTER = [
  'grid-exporter -> selenium-hub 4444/TCP',
  ...DNS.map((p) => `grid-exporter -> coredns ${p}`),
  // The Kubernetes API (pod-deletion-cost): 443 at the Service, 6443 at the API server itself.
  'grid-exporter -> internet 443/TCP',
  'grid-exporter -> internet 6443/TCP',
  'keda -> grid-exporter 9561/TCP',
  'prometheus -> grid-exporter 9561/TCP',
];
// grid-keda-push: KEDA asks grid-exporter's external-push scaler (gRPC), never the hub.
const PUSH = ['keda -> grid-exporter 9099/TCP'];
const SCRAPE_POD = [
  'prometheus -> scrape-job 9010/TCP',
  ...DNS.map((p) => `scrape-job -> coredns ${p}`),
  'scrape-job -> internet 80/TCP',
  'scrape-job -> internet 443/TCP',
  'scrape-job -> internet 5432/TCP',
];
const REAPER_API = ['scrape-job -> internet 6443/TCP'];
// overlays/demo: the scrape Job's pod reaches the demo site and the demo PostgreSQL in the namespace.
const DEMO = [
  'scrape-job -> demo-site 8080/TCP',
  'scrape-job -> demo-postgres 5432/TCP',
  ...DNS.map((p) => `demo-site -> coredns ${p}`),
  ...DNS.map((p) => `demo-postgres -> coredns ${p}`),
];

const EXPECTED: Record<string, { flows: string[]; nodes: string[] }> = {
  'scrape-job': { flows: [...SCRAPE_POD, ...REAPER_API], nodes: [] },
  'scrape-job-cron': { flows: [...SCRAPE_POD, ...REAPER_API], nodes: [] },
  'scrape-job-native': { flows: SCRAPE_POD, nodes: [] },
  demo: { flows: [...SCRAPE_POD, ...REAPER_API, ...DEMO], nodes: [] },
  'grid-keda': { flows: [...SHARED_GRID, 'keda -> selenium-hub 4444/TCP'], nodes: ['chrome'] },
  'grid-keda+optional': {
    flows: [...SHARED_GRID, 'keda -> selenium-hub 4444/TCP'],
    nodes: ['chrome', 'firefox', 'edge'],
  },
  'grid-keda-exporter': { flows: [...SHARED_GRID, ...EXPORTER], nodes: ['chrome'] },
  'grid-keda-exporter+optional': {
    flows: [...SHARED_GRID, ...EXPORTER],
    nodes: ['chrome', 'firefox', 'edge'],
  },
  'grid-keda-push': { flows: [...SHARED_GRID, ...EXPORTER, ...PUSH], nodes: ['chrome'] },
  'grid-keda-push+optional': {
    flows: [...SHARED_GRID, ...EXPORTER, ...PUSH],
    nodes: ['chrome', 'firefox', 'edge'],
  },
  // The ScaledJob's pods (named after it) carry the node pods' labels: the same flows as grid-keda.
  'grid-keda-scaledjob': { flows: [...SHARED_GRID, 'keda -> selenium-hub 4444/TCP'], nodes: ['chrome'] },
};

function expectedFlows(name: string): string[] {
  const shape = EXPECTED[name];
  if (shape === undefined) throw new Error(`no expected flows for ${name}`);
  return shape.flows
    .flatMap((flow) =>
      flow.includes('<node>') ? shape.nodes.map((n) => flow.replace('<node>', `selenium-node-${n}`)) : [flow],
    )
    .concat(ANY_POD)
    .sort();
}

test('every rendered variant has its table of flows', () => {
  // An overlay applied beside a Grid overlay is checked with it (below).
  const own = variants.map((v) => v.name).filter((name) => !(name in BESIDE_A_GRID));
  expect(own.sort()).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(Object.keys(EXPECTED))('%s', (name) => {
  const variant = () => {
    const found = variants.find((v) => v.name === name);
    if (found === undefined) throw new Error(`variant ${name} not rendered`);
    return found;
  };

  test('its NetworkPolicies allow exactly the flows it needs', () => {
    expect(allowedFlows(variant().objects)).toEqual(expectedFlows(name));
  });

  test('removing any one of its NetworkPolicies changes the flows (each one is needed)', () => {
    const policies = variant().objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.length).toBeGreaterThanOrEqual(6);
    const expected = expectedFlows(name);
    const unchanged = policies
      .filter((policy) => {
        const without = variant().objects.filter((o) => o !== policy);
        return JSON.stringify(allowedFlows(without)) === JSON.stringify(expected);
      })
      .map((p) => p.metadata.name)
      .sort();
    expect(unchanged).toEqual([...(NOT_SELECTING_ANYTHING_IN[name] ?? [])].sort());
  });
});

describe.each(BESIDE_A_GRID['scrape-job-shared-grid'] ?? [])(
  'scrape-job-shared-grid applied beside %s',
  (grid) => {
    const both = (scrape: string, drop: string[] = []) =>
      [...objectsOf(grid), ...objectsOf(scrape)].filter((o) => !drop.includes(o.metadata.name));
    // The Job's pods (it is named scrape-job, as the single-pod Job) get the scrape pod's flows from
    // the Grid overlay's policies, but no reaper's API access, and the shared hub on 4444.
    const SHARED_GRID_JOB = [
      ...SCRAPE_POD.filter((f) => !f.includes('6443')),
      'scrape-job -> selenium-hub 4444/TCP',
    ];

    test('exactly the flows of the Grid overlay, plus its worker pods: scrape flows and the hub on 4444', () => {
      expect(allowedFlows(both('scrape-job-shared-grid'))).toEqual(
        [...expectedFlows(grid), ...SHARED_GRID_JOB].sort(),
      );
    });

    test("each of its two policies is needed: without the hub's ingress or the worker's egress, no 4444", () => {
      for (const policy of ['selenium-hub-from-scrape-job', 'scrape-job-to-selenium-hub']) {
        const flows = allowedFlows(both('scrape-job-shared-grid', [policy]));
        expect(flows, policy).not.toContain('scrape-job -> selenium-hub 4444/TCP');
        expect(flows, policy).toContain('scrape-job -> internet 5432/TCP');
      }
    });

    test('a scrape Job with its own Grid (overlay scrape-job) does not reach the shared hub through them', () => {
      const policies = objectsOf('scrape-job-shared-grid').filter((o) => o.kind === 'NetworkPolicy');
      expect(policies).toHaveLength(2);
      const flows = allowedFlows([...objectsOf(grid), ...objectsOf('scrape-job'), ...policies]);
      expect(flows).not.toContain('scrape-job -> selenium-hub 4444/TCP');
      expect(flows).toContain('scrape-job -> internet 443/TCP');
    });
  },
);

test('without default-deny any pod reaches a pod no other policy selects (dns-egress alone isolates egress)', () => {
  const objects = variants.find((v) => v.name === 'scrape-job')?.objects ?? [];
  const flows = allowedFlows(objects.filter((o) => o.metadata.name !== 'default-deny'));
  expect(flows).toContain('keda -> stranger 8080/TCP');
  expect(flows).toContain('impostor -> stranger 4444/TCP');
  expect(flows).not.toContain('stranger -> internet 443/TCP');
});

// --- internal ---

function objectsOf(name: string) {
  const found = variants.find((v) => v.name === name);
  if (found === undefined) throw new Error(`variant ${name} not rendered`);
  return found.objects;
}

/**
 * The shared component's policies whose pods a shape does not deploy: they allow nothing there,
 * so removing them changes nothing (listed so the test still says which ones they are).
 */
const SCRAPE_ONLY = ['scrape-job', 'scrape-job-database-egress'];
const GRID_ONLY = [
  'browser-node',
  'grid-exporter',
  'selenium-hub-egress',
  'selenium-hub-from-keda',
  'selenium-hub-ingress',
];
const NOT_SELECTING_ANYTHING_IN: Record<string, string[]> = {
  'scrape-job': GRID_ONLY,
  'scrape-job-cron': GRID_ONLY,
  'scrape-job-native': [...GRID_ONLY, 'kube-api-egress'],
  demo: GRID_ONLY,
  'grid-keda': [...SCRAPE_ONLY, 'grid-exporter', 'kube-api-egress'],
  'grid-keda+optional': [...SCRAPE_ONLY, 'grid-exporter', 'kube-api-egress'],
  'grid-keda-exporter': SCRAPE_ONLY,
  'grid-keda-exporter+optional': SCRAPE_ONLY,
  'grid-keda-push': SCRAPE_ONLY,
  'grid-keda-push+optional': SCRAPE_ONLY,
  'grid-keda-scaledjob': [...SCRAPE_ONLY, 'grid-exporter', 'kube-api-egress'],
};
