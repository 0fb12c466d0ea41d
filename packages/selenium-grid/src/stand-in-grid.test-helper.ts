import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface StandIn {
  readonly url: string;
  readonly seen: Seen[];
  close(): Promise<void>;
}

/**
 * A local HTTP server answering as `answer` says: a stand-in for a Grid endpoint where a real
 * Grid cannot show the case (a node stuck DRAINING, a 401, a hub that never answers). The real
 * Grid's answers are tested in test-support (grid-client.integration.test.ts), which starts Grids.
 */
export async function startStandIn(
  answer: (request: Seen, response: ServerResponse) => void,
  tls?: { readonly key: string; readonly cert: string },
): Promise<StandIn> {
  const server = tls ? createHttpsServer(tls) : createServer();
  const seen: Seen[] = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      seen.push(request);
      answer(request, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const protocol = tls ? 'https' : 'http';
  return {
    url: `${protocol}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The URL of a stand-in that has closed again: nothing listens there, a connection is refused. */
export async function closedUrl(): Promise<string> {
  const standIn = await startStandIn(() => {});
  await standIn.close();
  return standIn.url;
}

/** Answers with JSON. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
