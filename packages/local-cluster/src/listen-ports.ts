import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/** Below this the ports are the well-known and registered services' usual ones. */
const LOWEST = 10_000;
/** Above it starts the Services' NodePort range (30000-32767), which kube-proxy redirects on the bridge. */
const HIGHEST = 29_999;

export class NoListenPorts extends Error {
  readonly code = 'NO_LISTEN_PORTS';
}

/**
 * `count` distinct TCP ports for the cluster's servers to listen on, each free at the moment of
 * the pick, and all below the kernel's ephemeral range (ip_local_port_range): a port inside it
 * can be taken by any outgoing connection between the pick and the server's bind (seen: etcd's
 * `bind: address already in use` right after a cluster stopped, its connections' ports still in
 * TIME_WAIT). Below the range only a listener can take one. Also below the NodePort range, so no
 * Service's NodePort rule redirects traffic meant for the API server on the bridge address.
 * The search starts at a random port (`first` in tests) and takes the next free ones.
 */
export async function listenPorts(count: number, options: { first?: number } = {}): Promise<number[]> {
  const [ephemeralLow] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'))
    .trim()
    .split(/\s+/)
    .map(Number);
  const high = Math.min(HIGHEST, (ephemeralLow ?? 32_768) - 1);
  const picked = new Set<number>();
  // Start anywhere in the range, so two pickers (a test and scripts/cluster.sh) rarely meet.
  const span = high - LOWEST + 1;
  const first = options.first ?? LOWEST + Math.floor(Math.random() * span);
  for (let i = 0; i < span && picked.size < count; i++) {
    const port = LOWEST + ((first - LOWEST + i) % span);
    if (await isFree(port)) picked.add(port);
  }
  if (picked.size < count)
    throw new NoListenPorts(`only ${picked.size} of ${count} free ports between ${LOWEST} and ${high}`);
  return [...picked];
}

// --- internal ---

/** Free for a listener on every address (the apiserver and kubelet listen on all of them). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
