import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { buildEmbulkStandInJar } from './build-embulk-stand-in-jar.ts';

export interface EmbulkStandIn {
  /** Where the build fetches it (EMBULK_URL). */
  url: string;
  /** Its SHA-256 (EMBULK_SHA256). */
  sha256: string;
  close(): Promise<void>;
}

/**
 * Compiles the Embulk stand-in into a real jar with this machine's JDK and serves it from a loopback
 * HTTP server, so the worker image's build downloads it and checks its checksum as it would the
 * release jar.
 */
export async function serveEmbulkStandIn(workDir: string): Promise<EmbulkStandIn> {
  const body = readFileSync(await buildEmbulkStandInJar(workDir));
  const server = createServer((request, response) => {
    if (request.url !== '/embulk-0.11.5.jar') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/java-archive', 'content-length': body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/embulk-0.11.5.jar`,
    sha256: createHash('sha256').update(body).digest('hex'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
