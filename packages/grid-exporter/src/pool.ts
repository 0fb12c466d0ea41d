/**
 * One pool: a browser-node Deployment the exporter computes a node count for. Field names follow
 * KEDA's selenium-grid trigger metadata so a trigger can be moved here unchanged.
 */
export interface Pool {
  readonly name: string;
  readonly browserName: string;
  /** Name nodes and sessions report (Edge: `msedge`); defaults to browserName. */
  readonly sessionBrowserName: string;
  readonly browserVersion: string;
  readonly platformName: string;
  /** Sessions one new node of this pool can hold (≥ 1). */
  readonly nodeMaxSessions: number;
  /** Extra capabilities a candidate must carry with equal values. */
  readonly capabilities: Readonly<Record<string, unknown>>;
  readonly enableManagedDownloads: boolean;
  /** Warm nodes kept above demand. */
  readonly idleNodes: number;
  /** Where the pool's pods run, for the pod-deletion-cost controller. */
  readonly kubernetes: PoolKubernetes | undefined;
}

export interface PoolKubernetes {
  readonly namespace: string;
  /** A label selector, e.g. `app.kubernetes.io/name=selenium-node-chrome`. */
  readonly podSelector: string;
}

/** A pool with every optional field at its default (the test and bench helper). */
export function makePool(fields: Partial<Pool> & { name: string }): Pool {
  const browserName = fields.browserName ?? '';
  return Object.freeze({
    browserName,
    sessionBrowserName: fields.sessionBrowserName || browserName,
    browserVersion: '',
    platformName: '',
    nodeMaxSessions: 1,
    capabilities: {},
    enableManagedDownloads: true,
    idleNodes: 0,
    kubernetes: undefined,
    ...fields,
  });
}
