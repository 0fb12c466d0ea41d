import { readFile, writeFile } from 'node:fs/promises';

/**
 * Kernel settings the cluster changes that are global to the machine: ip_forward (pods reach the
 * host and each other through it), the ones the kubelet sets at start (it "protects kernel
 * defaults" by writing them) and kube-proxy's. Saved before start, written back at stop.
 */
export const CLUSTER_SYSCTLS = [
  'net/ipv4/ip_forward',
  'net/ipv4/conf/all/route_localnet',
  'net/bridge/bridge-nf-call-iptables',
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
] as const;

export type SysctlValues = Partial<Record<(typeof CLUSTER_SYSCTLS)[number], string>>;

export async function readClusterSysctls(): Promise<SysctlValues> {
  const values: SysctlValues = {};
  for (const name of CLUSTER_SYSCTLS) {
    try {
      values[name] = (await readFile(`/proc/sys/${name}`, 'utf8')).trim();
    } catch {
      // Not on this kernel: nothing to restore.
    }
  }
  return values;
}

export async function writeSysctls(values: SysctlValues): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    try {
      const current = (await readFile(`/proc/sys/${name}`, 'utf8')).trim();
      if (current !== value) await writeFile(`/proc/sys/${name}`, value);
    } catch {
      // Read-only here (a namespaced sysctl): it was never changed either.
    }
  }
}
