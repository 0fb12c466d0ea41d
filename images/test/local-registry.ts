import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, spawnTracked, type TrackedProcess, waitUntil } from '@scrapegrid/test-support';

/** Debian's docker-registry package (Distribution 2.8), installed by scripts/setup-system.sh. */
export const REGISTRY_BINARY = '/usr/bin/docker-registry';

/** What a client accepts for a tag: image manifests and indexes, OCI and Docker. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

export interface LocalRegistry {
  /** host:port, plain HTTP on 127.0.0.1. */
  readonly host: string;
  /** The registry's Docker-Content-Digest for repository:reference (HEAD, as a pull resolves a tag). */
  manifestDigest(repository: string, reference: string): Promise<string>;
  /** GET of a manifest or blob path under /v2/<repository>/, parsed as JSON. */
  getJson(repository: string, path: string): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * A real registry for one test: `docker-registry serve` on a free port of 127.0.0.1 with its own
 * storage under `dir`, ready when `GET /v2/` answers 200. Throws with the registry's output when it
 * does not come up within the deadline (and stops it).
 */
export async function startLocalRegistry(dir: string, { timeoutMs = 30_000 } = {}): Promise<LocalRegistry> {
  if (!existsSync(REGISTRY_BINARY)) {
    throw new Error(
      `${REGISTRY_BINARY} missing: run scripts/setup-system.sh (Debian package docker-registry)`,
    );
  }
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const storage = join(dir, 'storage');
  mkdirSync(storage, { recursive: true });
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storage}`,
      'http:',
      `  addr: ${host}`,
      '  secret: scrapegrid-images-test',
      '',
    ].join('\n'),
  );
  const server: TrackedProcess = spawnTracked('docker-registry', REGISTRY_BINARY, ['serve', config]);
  const base = `http://${host}/v2/`;
  try {
    await waitUntil(
      async () => {
        if (!server.isRunning()) throw new Error(`docker-registry exited:\n${server.output()}`);
        const response = await fetch(base, { signal: AbortSignal.timeout(2_000) });
        return response.status === 200;
      },
      { what: `docker-registry on ${host}`, timeoutMs },
    );
  } catch (error) {
    await server.stop(2_000);
    throw new Error(`${String(error)}\n${server.output()}`, { cause: error });
  }
  return {
    host,
    async manifestDigest(repository, reference) {
      const response = await fetch(`${base}${repository}/manifests/${reference}`, {
        method: 'HEAD',
        headers: { accept: MANIFEST_ACCEPT },
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status !== 200)
        throw new Error(`HEAD ${repository}:${reference}: HTTP ${response.status}`);
      return response.headers.get('docker-content-digest') ?? '';
    },
    async getJson(repository, path) {
      const response = await fetch(`${base}${repository}/${path}`, {
        headers: { accept: MANIFEST_ACCEPT },
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status !== 200) throw new Error(`GET ${repository}/${path}: HTTP ${response.status}`);
      return JSON.parse(await response.text()) as unknown;
    },
    async stop() {
      await server.stop(5_000);
    },
  };
}
