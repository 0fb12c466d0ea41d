import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { clusterLayout as L } from './cluster-layout.ts';

const run = promisify(execFile);

/** The node's bridge with the API server's address; the sweep removes it. */
export async function setUpClusterBridge(): Promise<void> {
  if (!existsSync(`/sys/class/net/${L.bridgeName}`))
    await run('ip', ['link', 'add', L.bridgeName, 'type', 'bridge']);
  await run('ip', ['addr', 'replace', `${L.bridgeIp}/${L.bridgePrefix}`, 'dev', L.bridgeName]);
  await run('ip', ['link', 'set', L.bridgeName, 'up']);
  // Pods reach each other's Services and the outside through the host's forwarding.
  await writeFile('/proc/sys/net/ipv4/ip_forward', '1');
}
