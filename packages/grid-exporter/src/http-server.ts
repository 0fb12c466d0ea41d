import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ExporterMetrics } from './exporter-metrics.ts';
import type { GridPoller } from './grid-poller.ts';

export interface ExporterServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The exporter's HTTP endpoints. None of them calls the Grid: they read the poller's snapshot.
 * - /metrics: Prometheus exposition;
 * - /pools/<name>: JSON for KEDA's metrics-api trigger (`valueLocation: desiredNodes`); 503 while
 *   the last poll failed, so KEDA keeps its replicas (or its fallback) instead of scaling on nothing;
 * - /healthz: the process serves; /readyz: the last poll succeeded.
 */
export async function startExporterServer(options: {
  host: string;
  port: number;
  poller: GridPoller;
  metrics: ExporterMetrics;
  poolNames: readonly string[];
  logger: Logger;
}): Promise<ExporterServer> {
  const { poller, metrics, logger } = options;
  const pools = new Set(options.poolNames);
  const server: Server = createServer((req, res) => {
    _route(req, res).catch((error) => {
      logger.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) _send(res, 500, 'text/plain', 'internal error\n');
      else res.destroy();
    });
  });
  // Slow or stuck clients must not pile up sockets.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;

  async function _route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://exporter').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return _send(res, 405, 'text/plain', 'method not allowed\n');
    if (path === '/metrics') return _send(res, 200, metrics.contentType, await metrics.render());
    if (path === '/healthz') return _send(res, 200, 'text/plain', 'ok\n');
    if (path === '/readyz') {
      const snapshot = poller.current();
      if (snapshot === undefined) return _send(res, 503, 'text/plain', 'no poll yet\n');
      if (snapshot.error)
        return _send(res, 503, 'text/plain', `last poll failed: ${snapshot.error.reason}\n`);
      return _send(res, 200, 'text/plain', 'ok\n');
    }
    if (path === '/pools' || path === '/pools/') return _json(res, 200, { pools: [...pools] });
    const match = /^\/pools\/([^/]+)$/.exec(path);
    if (match) {
      const name = decodeURIComponent(match[1]!);
      if (!pools.has(name)) return _json(res, 404, { error: `no pool named "${name}"` });
      const snapshot = poller.current();
      const demand = snapshot?.grid?.pools.find((p) => p.pool === name);
      if (snapshot === undefined || demand === undefined) {
        return _json(res, 503, { pool: name, error: snapshot?.error?.message ?? 'no poll yet' });
      }
      const { neededNodeIds: _ids, ...numbers } = demand;
      return _json(res, 200, { ...numbers, observedAt: new Date(snapshot.at).toISOString() });
    }
    return _send(res, 404, 'text/plain', 'not found\n');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// --- internal ---

function _send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function _json(res: ServerResponse, status: number, body: unknown): void {
  _send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);
}
