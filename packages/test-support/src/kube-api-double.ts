/**
 * A TEST DOUBLE of the Kubernetes API server: a plain HTTP server on loopback holding Pods in
 * memory. It is not Kubernetes. The real cluster (startLocalCluster) is what the end-to-end tests
 * use; this double exists for what a real cluster cannot be made to do on demand: send a 410 Gone
 * on a watch at a moment the test chooses (`compact()`), answer a patch with a 409 Conflict at a
 * moment the test chooses (`beforePatch` + `touch()`), close every watch now (`closeWatches()`),
 * withdraw RBAC in one step (`forbid()`, `grants`), and do all of it in milliseconds for unit tests.
 * It follows the wire protocol closely enough that @kubernetes/client-node parses it exactly as it
 * parses a real apiserver. It serves only what the project's tests use:
 *
 * - `GET /api/v1/namespaces/{ns}/pods/{name}`: the Pod, with `metadata.resourceVersion`; 404 Status
 *   when missing.
 * - `GET /api/v1/namespaces/{ns}/pods?labelSelector=…`: a PodList (equality, inequality and
 *   existence selectors) with the list's resourceVersion.
 * - `GET /api/v1/namespaces/{ns}/pods?watch=true&fieldSelector=metadata.name={name}&resourceVersion=N
 *   &allowWatchBookmarks=true`: HTTP 200, chunked, one JSON event per line
 *   (`{"type":"ADDED|MODIFIED|BOOKMARK|ERROR","object":…}`), every change of that Pod after N, then
 *   changes as they happen. BOOKMARKs carry only `metadata.resourceVersion` and go only to watches
 *   that asked for them. Without resourceVersion the watch starts "now": the current Pod as ADDED.
 *   A resourceVersion older than the compaction point gets, like the real server, HTTP 200 with one
 *   ERROR event holding a Status with code 410 (reason Expired), then the stream ends; with
 *   `expiredAs: 'http'` it answers HTTP 410 with the Status as the body instead.
 * - `PATCH /api/v1/namespaces/{ns}/pods/{name}` with Content-Type application/merge-patch+json
 *   (RFC 7386; 415 for any other type): the patched Pod with a new resourceVersion; 409 Conflict
 *   when the patch carries a metadata.resourceVersion that is not the Pod's current one; 404 for a
 *   missing Pod.
 * - 401 without the bearer token; 403 when the simulated Role does not grant the verb.
 * Errors are `Status` objects like the real server's. The resourceVersion is one counter for the
 * whole "cluster", as etcd's is: `advance()` moves it as other objects changing would, which is
 * what bookmarks report.
 */
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface ContainerState {
  running?: { startedAt: string };
  terminated?: { exitCode: number; reason: string; signal?: number; startedAt: string; finishedAt: string };
}

export interface DoublePod {
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
  };
  spec?: { containers: Array<{ name: string; image: string }> };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: Array<{ ip: string }>;
    containerStatuses?: Array<{
      name: string;
      image: string;
      imageID: string;
      ready: boolean;
      restartCount: number;
      state: ContainerState | undefined;
    }>;
  };
}

export type KubeVerb = 'get' | 'list' | 'watch' | 'patch';

export interface KubeApiDoubleRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  status: number;
  /** Short form: "GET pod", "WATCH rv=N", "LIST pods", "PATCH pod", "401", "403", "404 /path". */
  label: string;
}

export interface KubeApiDoubleOptions {
  /** With podName: one running Pod with these containers, the one `setContainerState` changes. */
  namespace?: string;
  podName?: string;
  containers?: string[];
  /** Where to write a kubeconfig that points at the double (none without it). */
  dir?: string;
  expiredAs?: 'event' | 'http';
}

export interface KubeApiDouble {
  readonly url: string;
  readonly token: string;
  /** `<dir>/kubeconfig-double.json`; empty when no dir was given. */
  readonly kubeconfigPath: string;
  /** Pods by namespace/name; tests add, change and delete them. */
  readonly pods: Map<string, DoublePod>;
  /** Every request, in order. */
  readonly requests: KubeApiDoubleRequest[];
  /** Verbs the simulated Role grants, per namespace (default: every verb everywhere). */
  grants: ((namespace: string, verb: KubeVerb) => boolean) | undefined;
  /** Runs before each PATCH is applied (to simulate a concurrent writer or a deleted pod). */
  beforePatch: ((namespace: string, name: string) => void) | undefined;
  addPod(pod: DoublePod): void;
  /** Changes a pod as another writer would: a new resourceVersion, a MODIFIED event. */
  touch(namespace: string, name: string): void;
  /** Sets a container's state in the options' Pod: a MODIFIED event with a new resourceVersion. */
  setContainerState(container: string, state: ContainerState): void;
  /** Other objects changed: the counter moves, bookmark watches are told. */
  advance(by?: number): void;
  /** Compacts history: watches from an older resourceVersion get 410 Gone. */
  compact(): void;
  /** Ends every open watch stream, as the server does at timeoutSeconds. */
  closeWatches(): void;
  /** Every request is refused with 403, as when the Role is missing. */
  forbid(): void;
  openWatches(): number;
  close(): Promise<void>;
}

interface Watch {
  res: ServerResponse;
  key: string;
  bookmarks: boolean;
}

export async function startKubeApiDouble(options: KubeApiDoubleOptions = {}): Promise<KubeApiDouble> {
  const token = 'double-token';
  let rv = 99;
  let compactedBelow = 0;
  const pods = new Map<string, DoublePod>();
  const requests: KubeApiDoubleRequest[] = [];
  const history: { rv: number; key: string; type: string; object: unknown }[] = [];
  const watches = new Set<Watch>();
  const asPod = (pod: DoublePod) => ({ apiVersion: 'v1', kind: 'Pod', ...pod });
  const send = (res: ServerResponse, type: string, object: unknown) =>
    res.write(`${JSON.stringify({ type, object })}\n`);

  // A pod changed: new resourceVersion, remembered for watches that resume, sent to open ones.
  const changed = (key: string) => {
    const pod = pods.get(key);
    if (pod === undefined) return;
    pod.metadata.resourceVersion = String(++rv);
    const object = asPod(structuredClone(pod));
    history.push({ rv, key, type: 'MODIFIED', object });
    for (const w of watches) if (w.key === key) send(w.res, 'MODIFIED', object);
  };

  const containers = options.containers ?? ['worker', 'selenium', 'chrome'];
  const states = new Map<string, ContainerState>();
  const ownKey = `${options.namespace}/${options.podName}`;
  const ownStatus = (): NonNullable<DoublePod['status']> => ({
    phase: 'Running',
    containerStatuses: containers.map((name) => ({
      name,
      image: `${name}:test`,
      imageID: '',
      ready: !states.get(name)?.terminated,
      restartCount: 0,
      state: states.get(name),
    })),
  });

  const double: KubeApiDouble = {
    url: '',
    token,
    kubeconfigPath: '',
    pods,
    requests,
    grants: undefined,
    beforePatch: undefined,
    addPod(pod) {
      pods.set(`${pod.metadata.namespace}/${pod.metadata.name}`, {
        ...pod,
        metadata: { ...pod.metadata, resourceVersion: String(++rv) },
      });
    },
    touch: (namespace, name) => changed(`${namespace}/${name}`),
    setContainerState(container, state) {
      const pod = pods.get(ownKey);
      if (pod === undefined) throw new Error('setContainerState needs the namespace and podName options');
      states.set(container, state);
      pod.status = ownStatus();
      changed(ownKey);
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
      double.grants = () => false;
    },
    openWatches: () => watches.size,
    close: async () => {},
  };

  if (options.namespace !== undefined && options.podName !== undefined) {
    const started = new Date().toISOString();
    for (const c of containers) states.set(c, { running: { startedAt: started } });
    double.addPod({
      metadata: {
        name: options.podName,
        namespace: options.namespace,
        uid: '5b0e6c1e-0000-4000-8000-000000000001',
      },
      spec: { containers: containers.map((name) => ({ name, image: `${name}:test` })) },
      status: ownStatus(),
    });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record: KubeApiDoubleRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        status: 0,
        label: '',
      };
      record.status = handle(req, Buffer.concat(chunks).toString('utf8'), res, record);
      requests.push(record);
    });
  });

  function handle(
    req: IncomingMessage,
    body: string,
    res: ServerResponse,
    record: KubeApiDoubleRequest,
  ): number {
    const url = new URL(req.url ?? '/', 'http://double');
    const refuse = (code: number, reason: string, message: string, details?: Record<string, string>) => {
      record.label = code === 404 ? `404 ${url.pathname}` : String(code);
      return _status(res, code, reason, message, details);
    };
    if (req.headers.authorization !== `Bearer ${token}`) return refuse(401, 'Unauthorized', 'Unauthorized');
    const granted = (namespace: string, verb: KubeVerb) => double.grants?.(namespace, verb) ?? true;
    const forbidden = (verb: KubeVerb, namespace: string, name?: string) =>
      refuse(
        403,
        'Forbidden',
        `${name === undefined ? 'pods' : `pods "${name}"`} is forbidden: User "system:serviceaccount:${namespace}:test" cannot ${verb} resource "pods" in API group "" in the namespace "${namespace}"`,
      );
    const list = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
    const one = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(url.pathname);

    if (one && req.method === 'GET') {
      const [namespace, name] = [one[1]!, decodeURIComponent(one[2]!)];
      if (!granted(namespace, 'get')) return forbidden('get', namespace, name);
      const pod = pods.get(`${namespace}/${name}`);
      if (pod === undefined)
        return refuse(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
      record.label = 'GET pod';
      return _json(res, 200, asPod(pod));
    }
    if (list && req.method === 'GET' && url.searchParams.get('watch') === 'true') {
      const namespace = list[1]!;
      if (!granted(namespace, 'watch')) return forbidden('watch', namespace);
      const rvParam = url.searchParams.get('resourceVersion');
      const from = rvParam ? Number(rvParam) : undefined;
      record.label = `WATCH rv=${rvParam ?? 'none'}`;
      const name = /^metadata\.name=(.+)$/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
      if (name === undefined) {
        return _status(res, 400, 'BadRequest', 'this double only serves a watch on one pod by name');
      }
      const key = `${namespace}/${name}`;
      if (from !== undefined && from < compactedBelow) {
        const gone = _statusBody(410, 'Expired', `too old resource version: ${from} (${compactedBelow})`);
        if (options.expiredAs === 'http') return _json(res, 410, gone);
        res.writeHead(200, { 'content-type': 'application/json' });
        send(res, 'ERROR', gone);
        res.end();
        return 200;
      }
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no content-length
      res.flushHeaders();
      const pod = pods.get(key);
      if (from === undefined) {
        if (pod !== undefined) send(res, 'ADDED', asPod(pod));
      } else for (const e of history) if (e.key === key && e.rv > from) send(res, e.type, e.object);
      const watch = { res, key, bookmarks: url.searchParams.get('allowWatchBookmarks') === 'true' };
      watches.add(watch);
      res.on('close', () => watches.delete(watch));
      return 200;
    }
    if (list && req.method === 'GET') {
      const namespace = list[1]!;
      if (!granted(namespace, 'list')) return forbidden('list', namespace);
      const selector = _parseSelector(url.searchParams.get('labelSelector') ?? '');
      const items = [...pods.values()].filter(
        (p) => p.metadata.namespace === namespace && selector(p.metadata.labels ?? {}),
      );
      record.label = 'LIST pods';
      return _json(res, 200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(rv) },
        items,
      });
    }
    if (one && req.method === 'PATCH') {
      const [namespace, name] = [one[1]!, decodeURIComponent(one[2]!)];
      if (!granted(namespace, 'patch')) return forbidden('patch', namespace, name);
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      if (contentType !== 'application/merge-patch+json') {
        return refuse(
          415,
          'UnsupportedMediaType',
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
        );
      }
      double.beforePatch?.(namespace, name);
      const key = `${namespace}/${name}`;
      const pod = pods.get(key);
      if (pod === undefined)
        return refuse(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
      let patch: { metadata?: { resourceVersion?: string } };
      try {
        patch = JSON.parse(body);
      } catch {
        return refuse(400, 'BadRequest', 'invalid JSON');
      }
      const wanted = patch.metadata?.resourceVersion;
      if (wanted !== undefined && wanted !== null && wanted !== pod.metadata.resourceVersion) {
        return refuse(
          409,
          'Conflict',
          `Operation cannot be fulfilled on pods "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          { name, kind: 'pods' },
        );
      }
      pods.set(key, _mergePatch(pod, patch) as DoublePod);
      changed(key);
      record.label = 'PATCH pod';
      return _json(res, 200, asPod(pods.get(key)!));
    }
    if (one || list)
      return refuse(405, 'MethodNotAllowed', 'the server could not find the requested resource');
    return refuse(404, 'NotFound', 'the server could not find the requested resource');
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let kubeconfigPath = '';
  if (options.dir !== undefined) {
    kubeconfigPath = join(options.dir, 'kubeconfig-double.json');
    await writeFile(
      kubeconfigPath,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        // client-node refuses plain http unless TLS checks are off; the double has no certificate.
        clusters: [{ name: 'double', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'test', user: { token } }],
        contexts: [
          { name: 'double', context: { cluster: 'double', user: 'test', namespace: options.namespace } },
        ],
        'current-context': 'double',
      }),
    );
  }
  return Object.assign(double, {
    url,
    kubeconfigPath,
    async close() {
      for (const w of watches) w.res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  });
}

// --- internal ---

function _json(res: ServerResponse, status: number, body: unknown): number {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  return status;
}

function _statusBody(code: number, reason: string, message: string, details?: Record<string, string>) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  };
}

function _status(
  res: ServerResponse,
  code: number,
  reason: string,
  message: string,
  details?: Record<string, string>,
): number {
  return _json(res, code, _statusBody(code, reason, message, details));
}

// RFC 7386: objects merge recursively, null deletes, anything else replaces.
function _mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = _mergePatch(result[key], value);
  }
  return result;
}

function _parseSelector(text: string): (labels: Record<string, string>) => boolean {
  const terms = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((term): ((labels: Record<string, string>) => boolean) => {
      const ne = /^([^!=]+)!=(.*)$/.exec(term);
      if (ne) return (l) => l[ne[1]!.trim()] !== ne[2]!.trim();
      const eq = /^([^!=]+)==?(.*)$/.exec(term);
      if (eq) return (l) => l[eq[1]!.trim()] === eq[2]!.trim();
      if (term.startsWith('!')) return (l) => !(term.slice(1) in l);
      return (l) => term in l;
    });
  return (labels) => terms.every((t) => t(labels));
}
