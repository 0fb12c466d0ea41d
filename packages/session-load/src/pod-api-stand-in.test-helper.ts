import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * A STAND-IN for the few API-server endpoints the cluster recorder reads, on loopback: a pod list
 * by label selector, a pod watch the test feeds event by event (and can end with a 410 Gone), and
 * one Deployment. Not Kubernetes: it lets a unit test drive @kubernetes/client-node's real list,
 * watch and read code through the recorder in milliseconds.
 */
export interface PodApiStandIn {
  readonly kubeConfig: KubeConfig;
  /** What the next list answers. */
  listed: object[];
  /** The Deployment's spec.replicas and status.replicas. */
  deployment: { spec: number; status: number; ready: number };
  /** Sends a watch event to every open watch. */
  send(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: object): void;
  /** Sends an ERROR event with a 410 Status and ends the watches, as a server after compaction. */
  expire(): void;
  /** Requests seen: "LIST", "WATCH rv=N", "GET deployment". */
  readonly requests: string[];
  openWatches(): number;
  close(): Promise<void>;
}

export async function startPodApiStandIn(namespace: string, deploymentName: string): Promise<PodApiStandIn> {
  const watches = new Set<ServerResponse>();
  const requests: string[] = [];
  let version = 100;
  const state = {
    listed: [] as object[],
    deployment: { spec: 0, status: 0, ready: 0 },
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const json = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === `/api/v1/namespaces/${namespace}/pods`) {
      if (url.searchParams.get('watch') === 'true') {
        requests.push(`WATCH rv=${url.searchParams.get('resourceVersion')}`);
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        res.flushHeaders();
        watches.add(res);
        res.on('close', () => watches.delete(res));
        return;
      }
      requests.push('LIST');
      return json(200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(version) },
        items: state.listed,
      });
    }
    if (url.pathname === `/apis/apps/v1/namespaces/${namespace}/deployments/${deploymentName}`) {
      requests.push('GET deployment');
      return json(200, {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        metadata: { name: deploymentName, namespace },
        spec: { replicas: state.deployment.spec },
        status: { replicas: state.deployment.status, readyReplicas: state.deployment.ready },
      });
    }
    json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'stand-in', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'stand-in', token: 'stand-in-token' }],
    contexts: [{ name: 'stand-in', cluster: 'stand-in', user: 'stand-in' }],
    currentContext: 'stand-in',
  });
  return {
    kubeConfig,
    get listed() {
      return state.listed;
    },
    set listed(pods: object[]) {
      state.listed = pods;
    },
    get deployment() {
      return state.deployment;
    },
    set deployment(d) {
      state.deployment = d;
    },
    send(type, pod) {
      version++;
      const object = {
        ...pod,
        metadata: { ...(pod as { metadata?: object }).metadata, resourceVersion: String(version) },
      };
      for (const w of watches) w.write(`${JSON.stringify({ type, object })}\n`);
    },
    expire() {
      const status = {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: 410,
        reason: 'Expired',
        message: 'too old resource version',
      };
      for (const w of watches) w.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
      watches.clear();
    },
    requests,
    openWatches: () => watches.size,
    async close() {
      for (const w of watches) w.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
