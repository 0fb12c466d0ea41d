/**
 * A TEST DOUBLE of the Kubernetes API server — not a cluster. No cluster can run on this machine,
 * so the pod-deletion-cost controller is tested against this local HTTP server. It implements
 * only the two calls the controller makes, faithfully to the API's contract:
 * - GET  /api/v1/namespaces/{ns}/pods?labelSelector=…  → PodList (equality, inequality and
 *   existence selectors), with the list's resourceVersion;
 * - PATCH /api/v1/namespaces/{ns}/pods/{name} with Content-Type application/merge-patch+json
 *   (RFC 7386; 415 for any other type) → the patched Pod with a new resourceVersion; 409 Conflict
 *   when the patch carries a metadata.resourceVersion that is not the pod's current one; 404 for
 *   a missing pod; 403 when the (simulated) RBAC does not grant the verb in that namespace; 401
 *   without the bearer token. Errors are `Status` objects like the real server's.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DoublePod {
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
  };
  status?: { podIP?: string; podIPs?: Array<{ ip: string }> };
}

export interface KubeApiDouble {
  readonly url: string;
  readonly token: string;
  /** Pods by namespace/name; tests add, change and delete them. */
  readonly pods: Map<string, DoublePod>;
  /** Every request: method, path and content type. */
  readonly requests: Array<{ method: string; path: string; contentType: string | undefined; status: number }>;
  /** Verbs the simulated Role grants, per namespace (default: list and patch in every namespace). */
  grants: ((namespace: string, verb: 'list' | 'patch') => boolean) | undefined;
  /** Runs before each PATCH is applied (to simulate a concurrent writer or a deleted pod). */
  beforePatch: ((namespace: string, name: string) => void) | undefined;
  addPod(pod: DoublePod): void;
  /** Changes a pod as another writer would: bumps its resourceVersion. */
  touch(namespace: string, name: string): void;
  close(): Promise<void>;
}

export async function startKubeApiDouble(): Promise<KubeApiDouble> {
  let version = 1000;
  const nextVersion = () => String(++version);
  const pods = new Map<string, DoublePod>();
  const requests: KubeApiDouble['requests'] = [];
  const token = 'double-token';
  const double: KubeApiDouble = {
    url: '',
    token,
    pods,
    requests,
    grants: undefined,
    beforePatch: undefined,
    addPod(pod) {
      pods.set(`${pod.metadata.namespace}/${pod.metadata.name}`, {
        ...pod,
        metadata: { ...pod.metadata, resourceVersion: nextVersion() },
      });
    },
    touch(namespace, name) {
      const pod = pods.get(`${namespace}/${name}`);
      if (pod) pod.metadata.resourceVersion = nextVersion();
    },
    close: async () => {},
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = handle(req, Buffer.concat(chunks).toString('utf8'), res);
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        status,
      });
    });
  });

  function handle(req: IncomingMessage, body: string, res: ServerResponse): number {
    const url = new URL(req.url ?? '/', 'http://double');
    if (req.headers.authorization !== `Bearer ${token}`)
      return _status(res, 401, 'Unauthorized', 'Unauthorized');
    const list = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
    const one = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(url.pathname);
    if (list && req.method === 'GET') {
      const namespace = list[1]!;
      if (!(double.grants?.(namespace, 'list') ?? true)) return _forbidden(res, 'list', namespace);
      const selector = _parseSelector(url.searchParams.get('labelSelector') ?? '');
      const items = [...pods.values()].filter(
        (p) => p.metadata.namespace === namespace && selector(p.metadata.labels ?? {}),
      );
      return _json(res, 200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(version) },
        items,
      });
    }
    if (one && req.method === 'PATCH') {
      const [namespace, name] = [one[1]!, decodeURIComponent(one[2]!)];
      if (!(double.grants?.(namespace, 'patch') ?? true)) return _forbidden(res, 'patch', namespace, name);
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      if (contentType !== 'application/merge-patch+json') {
        return _status(
          res,
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
        );
      }
      double.beforePatch?.(namespace, name);
      const pod = pods.get(`${namespace}/${name}`);
      if (pod === undefined)
        return _status(res, 404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
      let patch: { metadata?: { resourceVersion?: string } };
      try {
        patch = JSON.parse(body);
      } catch {
        return _status(res, 400, 'BadRequest', 'invalid JSON');
      }
      const wanted = patch.metadata?.resourceVersion;
      if (wanted !== undefined && wanted !== null && wanted !== pod.metadata.resourceVersion) {
        return _status(
          res,
          409,
          'Conflict',
          `Operation cannot be fulfilled on pods "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          { name, kind: 'pods' },
        );
      }
      const merged = _mergePatch(pod, patch) as DoublePod;
      merged.metadata.resourceVersion = nextVersion();
      pods.set(`${namespace}/${name}`, merged);
      return _json(res, 200, { kind: 'Pod', apiVersion: 'v1', ...merged });
    }
    return _status(
      res,
      one || list ? 405 : 404,
      one || list ? 'MethodNotAllowed' : 'NotFound',
      'the server could not find the requested resource',
    );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(double, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

// --- internal ---

function _json(res: ServerResponse, status: number, body: unknown): number {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  return status;
}

function _status(
  res: ServerResponse,
  code: number,
  reason: string,
  message: string,
  details?: Record<string, string>,
): number {
  return _json(res, code, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  });
}

function _forbidden(res: ServerResponse, verb: string, namespace: string, name?: string): number {
  const what = name === undefined ? 'pods' : `pods "${name}"`;
  return _status(
    res,
    403,
    'Forbidden',
    `${what} is forbidden: User "system:serviceaccount:${namespace}:grid-exporter" cannot ${verb} resource "pods" in API group "" in the namespace "${namespace}"`,
  );
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
