/**
 * A TEST DOUBLE of the Kubernetes API server: only what the reaper's pod watch uses, over plain
 * HTTP on loopback. It is not Kubernetes; it follows the real wire protocol closely enough that
 * @kubernetes/client-node's Watch parses it exactly as it parses a real apiserver:
 *
 * - `GET /api/v1/namespaces/{ns}/pods/{name}`: the Pod, with `metadata.resourceVersion`.
 * - `GET /api/v1/namespaces/{ns}/pods?watch=true&fieldSelector=metadata.name={name}&resourceVersion=N
 *   &allowWatchBookmarks=true`: HTTP 200, `Transfer-Encoding: chunked`, one JSON event per line
 *   (`{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":…}`), every change after N, then
 *   changes as they happen. BOOKMARK objects carry only `metadata.resourceVersion` and go only to
 *   watches that asked for them.
 * - Without resourceVersion the watch starts "now": the current Pod as an ADDED event first.
 * - A resourceVersion older than the compaction point gets, like the real server, HTTP 200 with one
 *   ERROR event holding a Status with code 410 (reason Expired), then the stream ends; with
 *   `expiredAs: 'http'` it answers HTTP 410 with the Status as the body instead.
 * - The bearer token is checked (401 otherwise); `forbid()` turns every request into a 403 Status,
 *   as RBAC does when the Role is missing.
 * The resourceVersion is one counter for the whole "cluster", as etcd's is: `advance()` moves it as
 * other objects changing would, which is what bookmarks report.
 */
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import { join } from 'node:path';

export interface ContainerState {
  running?: { startedAt: string };
  terminated?: { exitCode: number; reason: string; signal?: number; startedAt: string; finishedAt: string };
}

export interface KubeApiDoubleOptions {
  namespace: string;
  podName: string;
  /** Where to write the kubeconfig that points at the double. */
  dir: string;
  containers?: string[];
  expiredAs?: 'event' | 'http';
}

export interface KubeApiDouble {
  readonly url: string;
  readonly kubeconfigPath: string;
  /** Every request, as "GET pod" or "WATCH rv=N", in order. */
  readonly requests: string[];
  /** Sets a container's state: a MODIFIED event with a new resourceVersion. */
  setContainerState(container: string, state: ContainerState): void;
  /** Other objects changed: the counter moves, bookmark watches are told. */
  advance(by?: number): void;
  /** Compacts history: watches from an older resourceVersion get 410 Gone. */
  compact(): void;
  /** Ends every open watch stream, as the server does at timeoutSeconds. */
  closeWatches(): void;
  forbid(): void;
  openWatches(): number;
  close(): Promise<void>;
}

export async function startKubeApiDouble(options: KubeApiDoubleOptions): Promise<KubeApiDouble> {
  const token = 'double-token';
  const containers = options.containers ?? ['worker', 'selenium', 'chrome'];
  const started = new Date().toISOString();
  const states = new Map<string, ContainerState>(
    containers.map((c) => [c, { running: { startedAt: started } }]),
  );
  let rv = 100;
  let podRv = rv;
  let compactedBelow = 0;
  let forbidden = false;
  const history: { rv: number; type: string; object: unknown }[] = [];
  const watches = new Set<{ res: ServerResponse; bookmarks: boolean }>();
  const requests: string[] = [];

  const pod = () => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: options.podName,
      namespace: options.namespace,
      uid: '5b0e6c1e-0000-4000-8000-000000000001',
      resourceVersion: String(podRv),
    },
    spec: { containers: containers.map((name) => ({ name, image: `${name}:test` })) },
    status: {
      phase: 'Running',
      containerStatuses: containers.map((name) => ({
        name,
        image: `${name}:test`,
        imageID: '',
        ready: !states.get(name)?.terminated,
        restartCount: 0,
        state: states.get(name),
      })),
    },
  });
  const send = (res: ServerResponse, type: string, object: unknown) =>
    res.write(`${JSON.stringify({ type, object })}\n`);
  const status = (code: number, reason: string, message: string) => ({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://double');
    const base = `/api/v1/namespaces/${options.namespace}/pods`;
    const json = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) {
      requests.push('401');
      return json(401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    if (forbidden) {
      requests.push('403');
      return json(
        403,
        status(403, 'Forbidden', `pods "${options.podName}" is forbidden: User cannot get resource "pods"`),
      );
    }
    if (url.pathname === `${base}/${options.podName}`) {
      requests.push('GET pod');
      return json(200, pod());
    }
    if (url.pathname === base && url.searchParams.get('watch') === 'true') {
      const rvParam = url.searchParams.get('resourceVersion');
      const from = rvParam ? Number(rvParam) : undefined;
      requests.push(`WATCH rv=${rvParam ?? 'none'}`);
      if (url.searchParams.get('fieldSelector') !== `metadata.name=${options.podName}`) {
        return json(400, status(400, 'BadRequest', 'this double only serves a watch on one pod by name'));
      }
      if (from !== undefined && from < compactedBelow) {
        const gone = status(410, 'Expired', `too old resource version: ${from} (${compactedBelow})`);
        if (options.expiredAs === 'http') return json(410, gone);
        res.writeHead(200, { 'content-type': 'application/json' });
        send(res, 'ERROR', gone);
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no content-length
      res.flushHeaders();
      // Without a resourceVersion the watch starts at the current state, sent as ADDED.
      if (from === undefined) send(res, 'ADDED', pod());
      else for (const event of history) if (event.rv > from) send(res, event.type, event.object);
      const watch = { res, bookmarks: url.searchParams.get('allowWatchBookmarks') === 'true' };
      watches.add(watch);
      res.on('close', () => watches.delete(watch));
      return;
    }
    requests.push(`404 ${url.pathname}`);
    json(404, status(404, 'NotFound', `${url.pathname} not found`));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const kubeconfigPath = join(options.dir, 'kubeconfig-double.json');
  await writeFile(
    kubeconfigPath,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // client-node refuses plain http unless TLS checks are off; the double has no certificate.
      clusters: [{ name: 'double', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'reaper', user: { token } }],
      contexts: [
        { name: 'double', context: { cluster: 'double', user: 'reaper', namespace: options.namespace } },
      ],
      'current-context': 'double',
    }),
  );

  return {
    url,
    kubeconfigPath,
    requests,
    setContainerState(container, state) {
      states.set(container, state);
      podRv = ++rv;
      const object = pod();
      history.push({ rv, type: 'MODIFIED', object });
      for (const w of watches) send(w.res, 'MODIFIED', object);
    },
    advance(by = 1) {
      rv += by;
      const bookmark = { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: String(rv) } };
      for (const w of watches) if (w.bookmarks) send(w.res, 'BOOKMARK', bookmark);
    },
    compact() {
      compactedBelow = rv;
      history.length = 0;
    },
    closeWatches() {
      for (const w of watches) w.res.end();
      watches.clear();
    },
    forbid() {
      forbidden = true;
    },
    openWatches: () => watches.size,
    async close() {
      for (const w of watches) w.res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
