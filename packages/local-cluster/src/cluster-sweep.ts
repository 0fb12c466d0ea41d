import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, readlink, rm, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { clusterLayout as L } from './cluster-layout.ts';

const run = promisify(execFile);

export interface SweepTarget {
  /** The run directory: every mount below it goes. */
  runDir: string;
  /** kube-proxy, for `kube-proxy --cleanup` (its iptables chains); absent when it was never built. */
  kubeProxy?: string;
}

/** What the sweep found and removed: tests assert it is empty after a clean stop. */
export interface SweepReport {
  killedPids: number[];
  unmounted: string[];
  removedCgroups: number;
  removedIptablesRules: number;
  /** kube-router's ipsets (its NetworkPolicy peers), destroyed once no rule uses them. */
  removedIpsets: number;
  removedBridge: boolean;
}

const CGROUP_ROOT = '/sys/fs/cgroup';
/** Debian's CNI plugins (cluster-binaries.ts): the bridge plugin that writes the nat rules. */
const CNI_BIN_DIR = '/usr/lib/cni/';
/** The kubelet's cgroupfs parent for every pod (cgroupsPerQOS). */
const KUBEPODS = 'kubepods';

/**
 * Removes everything a local cluster run may have left on the machine, whatever state it is in:
 * the pods' processes (by their cgroups), containerd's shims for this run, every mount under the
 * run directory (overlay root filesystems, pod volumes, network namespaces), the pods' cgroups,
 * the bridge plugin's, kube-proxy's and kube-router's iptables rules, kube-router's ipsets, the
 * bridge, the kernel's connection tracking entries of pod and Service addresses, the kubelet's log symlinks and the run directory itself. Safe to run twice and on a half-started cluster. Only ever runs while
 * the cluster lock is held, so nothing else on the machine owns a kubepods cgroup or our bridge.
 */
export async function sweepCluster(target: SweepTarget): Promise<SweepReport> {
  const report: SweepReport = {
    killedPids: [],
    unmounted: [],
    removedCgroups: 0,
    removedIptablesRules: 0,
    removedIpsets: 0,
    removedBridge: false,
  };
  report.killedPids.push(...(await killShims(target.runDir)));
  report.killedPids.push(...(await killCniPlugins(target.runDir)));
  report.killedPids.push(...(await killCgroupProcesses()));
  report.unmounted.push(...(await unmountUnder(target.runDir)));
  report.removedCgroups = await removeCgroups();
  report.removedIptablesRules = await removeCniIptablesRules();
  if (target.kubeProxy && existsSync(target.kubeProxy)) {
    // Removes the KUBE-* chains of every proxy mode; the modes never used report errors we ignore.
    await run(target.kubeProxy, ['--cleanup'], { timeout: 60_000 }).catch(() => undefined);
  }
  // What --cleanup does not own: the kubelet's canary chains, anything of a kube-proxy killed mid-sync.
  for (const tool of ['iptables', 'ip6tables'])
    for (const table of ['nat', 'filter', 'mangle'])
      report.removedIptablesRules += await removeKubeChains(tool, table);
  // After the chains: a set still referenced by a rule cannot be destroyed.
  report.removedIpsets = await removeKubeRouterIpsets();
  report.removedBridge = await deleteBridge();
  await forgetConnections();
  await removeLogSymlinks(target.runDir);
  await rm(target.runDir, { recursive: true, force: true, maxRetries: 3 });
  return report;
}

async function pidsWhere(match: (cmdline: string[]) => boolean): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      if (match(cmdline)) found.push(Number(entry));
    } catch {
      // Exited meanwhile.
    }
  }
  return found;
}

/**
 * A CNI plugin containerd started for one of our pods runs outside the kubepods cgroups and can
 * outlive containerd: left running, it adds its nat chain after the sweep has read the table (a
 * stop once left `CNI-<hash>` behind that way). Ours are the ones whose network namespace is under
 * the run directory.
 */
async function killCniPlugins(runDir: string): Promise<number[]> {
  const candidates = await pidsWhere((c) => (c[0] ?? '').startsWith(CNI_BIN_DIR));
  const ours: number[] = [];
  for (const pid of candidates) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').some((v) => v.startsWith(`CNI_NETNS=${runDir}`))) ours.push(pid);
  }
  for (const pid of ours) signal(pid, 'SIGKILL');
  return ours;
}

/** containerd's shims outlive containerd (they are daemons of their own): find ours by socket path. */
async function killShims(runDir: string): Promise<number[]> {
  const pids = await pidsWhere(
    (c) => (c[0] ?? '').includes('containerd-shim') && c.some((arg) => arg.startsWith(runDir)),
  );
  for (const pid of pids) signal(pid, 'SIGKILL');
  return pids;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

async function controllerDirs(): Promise<string[]> {
  if (!existsSync(CGROUP_ROOT)) return [];
  const dirs: string[] = [];
  for (const entry of await readdir(CGROUP_ROOT)) {
    const dir = join(CGROUP_ROOT, entry, KUBEPODS);
    if (existsSync(dir)) dirs.push(dir);
  }
  return dirs;
}

async function walk(dir: string): Promise<string[]> {
  const out = [dir];
  let entries: import('node:fs').Dirent[] = [];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) if (e.isDirectory()) out.push(...(await walk(join(dir, e.name))));
  return out;
}

/** Every process in a pod cgroup (containers and sandboxes) is SIGKILLed until none is left (deadline 20 s). */
async function killCgroupProcesses(): Promise<number[]> {
  const killed = new Set<number>();
  const deadline = Date.now() + 20_000;
  for (;;) {
    const pids = new Set<number>();
    for (const top of await controllerDirs())
      for (const dir of await walk(top)) {
        const procs = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
        for (const line of procs.split('\n')) if (line.trim()) pids.add(Number(line));
      }
    if (pids.size === 0 || Date.now() > deadline) return [...killed];
    for (const pid of pids) {
      signal(pid, 'SIGKILL');
      killed.add(pid);
    }
    await sleep(100);
  }
}

/** Unmounts every mount point at or below dir, deepest first (lazily when busy). */
async function unmountUnder(dir: string): Promise<string[]> {
  const done: string[] = [];
  for (let round = 0; round < 5; round++) {
    const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
    const points = mountinfo
      .split('\n')
      .map((line) => line.split(' ')[4])
      .filter((p): p is string => !!p && (p === dir || p.startsWith(`${dir}/`)))
      .map((p) => p.replace(/\\040/g, ' '));
    if (points.length === 0) break;
    points.sort((a, b) => b.length - a.length);
    for (const point of points) {
      try {
        await run('umount', [point]);
      } catch {
        await run('umount', ['-l', point]).catch(() => undefined);
      }
      done.push(point);
    }
  }
  return [...new Set(done)];
}

async function removeCgroups(): Promise<number> {
  let removed = 0;
  for (const top of await controllerDirs()) {
    const dirs = await walk(top);
    dirs.sort((a, b) => b.length - a.length);
    for (const dir of dirs) {
      try {
        await rmdir(dir);
        removed++;
      } catch {
        // Still has a process (the sweep killed them; a zombie may linger a moment) or gone.
      }
    }
  }
  return removed;
}

/**
 * The bridge plugin's ipMasq adds, per pod, a nat POSTROUTING rule tagged with our network's name
 * that jumps to a CNI-<hash> chain whose own rules carry the same tag. Delete those rules, then
 * flush and delete the chains: the ones the rules jumped to, and any CNI chain no rule jumps to
 * that is empty or tagged ours (a plugin stopped between creating the chain and adding the jump).
 */
async function removeCniIptablesRules(): Promise<number> {
  const { stdout } = await run('iptables-save', ['-t', 'nat']).catch(() => ({ stdout: '' }));
  const tag = `name: \\"${L.cniNetworkName}\\"`;
  const lines = stdout.split('\n');
  let removed = 0;
  const chains = new Set<string>();
  const jumpedTo = new Set<string>();
  for (const line of lines) {
    const target = /-j (CNI-\S+)/.exec(line)?.[1];
    if (target) jumpedTo.add(target);
    if (!line.startsWith('-A POSTROUTING') || !line.includes(tag)) continue;
    if (target) chains.add(target);
    const args = splitRule(line.replace(/^-A /, '-D '));
    await run('iptables', ['-t', 'nat', ...args]).then(
      () => removed++,
      () => undefined,
    );
  }
  for (const chain of [...stdout.matchAll(/^:(CNI-\S+)/gm)].map((m) => m[1] as string)) {
    if (jumpedTo.has(chain)) continue;
    const rules = lines.filter((line) => line.startsWith(`-A ${chain} `));
    if (rules.every((rule) => rule.includes(tag))) chains.add(chain);
  }
  for (const chain of chains) {
    await run('iptables', ['-t', 'nat', '-F', chain]).catch(() => undefined);
    await run('iptables', ['-t', 'nat', '-X', chain]).then(
      () => removed++,
      () => undefined,
    );
  }
  return removed;
}

/** Deletes every rule that jumps to a KUBE-* chain, then flushes and deletes the KUBE-* chains. */
async function removeKubeChains(tool: string, table: string): Promise<number> {
  const { stdout } = await run(`${tool}-save`, ['-t', table]).catch(() => ({ stdout: '' }));
  const chains = [...stdout.matchAll(/^:(KUBE-\S+)/gm)].map((m) => m[1] as string);
  let removed = 0;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('-A ') || !/ -j KUBE-/.test(line)) continue;
    const chain = line.split(' ')[1] as string;
    if (chain.startsWith('KUBE-')) continue; // goes with its chain
    await run(tool, ['-t', table, ...splitRule(line.replace(/^-A /, '-D '))]).then(
      () => removed++,
      () => undefined,
    );
  }
  for (const chain of chains) await run(tool, ['-t', table, '-F', chain]).catch(() => undefined);
  for (const chain of chains)
    await run(tool, ['-t', table, '-X', chain]).then(
      () => removed++,
      () => undefined,
    );
  return removed;
}

/**
 * kube-router's NetworkPolicy controller keeps each policy's peers in ipsets named KUBE-SRC-* and
 * KUBE-DST-* (`inet6:` before the name for IPv6). Nothing else on these machines makes ipsets with
 * those names; without the ipset command (never installed) there is nothing to remove.
 */
async function removeKubeRouterIpsets(): Promise<number> {
  const { stdout } = await run('ipset', ['list', '-n']).catch(() => ({ stdout: '' }));
  let removed = 0;
  for (const name of stdout.split('\n').map((line) => line.trim())) {
    if (!KUBE_ROUTER_IPSET.test(name)) continue;
    await run('ipset', ['destroy', name]).then(
      () => removed++,
      () => undefined,
    );
  }
  return removed;
}

const KUBE_ROUTER_IPSET = /^(inet6:)?KUBE-(SRC|DST)-/;

/** Splits an iptables-save rule into arguments, keeping quoted comments whole. */
function splitRule(rule: string): string[] {
  const args: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(rule); m; m = re.exec(rule))
    args.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : (m[2] as string));
  return args;
}

async function deleteBridge(): Promise<boolean> {
  if (!existsSync(`/sys/class/net/${L.bridgeName}`)) return false;
  await run('ip', ['link', 'delete', L.bridgeName]).catch(() => undefined);
  return true;
}

/**
 * Conntrack entries of the cluster's addresses outlive it (an idle keep-alive connection's for five
 * days): the next cluster reuses the same pod and Service addresses, and a stale DNAT entry would
 * carry a new connection to where an old one went. conntrack exits 1 when nothing matches.
 */
async function forgetConnections(): Promise<void> {
  for (const cidr of [L.podCidr, L.serviceCidr])
    for (const direction of ['--orig-src', '--orig-dst'])
      await run('conntrack', ['-D', direction, cidr], { timeout: 30_000 }).catch(() => undefined);
}

/** The kubelet links each container's log into /var/log/containers (a fixed path): drop ours. */
async function removeLogSymlinks(runDir: string): Promise<void> {
  const dir = '/var/log/containers';
  if (!existsSync(dir)) return;
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const target = await readlink(path).catch(() => '');
    if (target.startsWith(runDir)) await unlink(path).catch(() => undefined);
  }
}
