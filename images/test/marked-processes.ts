import { readdirSync, readFileSync } from 'node:fs';

export interface MarkedProcess {
  pid: number;
  ppid: number;
  uid: number;
  command: string;
}

/**
 * The live processes whose environment holds NAME=VALUE. Processes inside an image do not inherit
 * the test's environment (buildah gives them the image's), so each run is marked explicitly; tini
 * also puts its child in a process group of its own, out of reach of a group signal.
 */
export function markedProcesses(name: string, value: string): MarkedProcess[] {
  const marker = Buffer.from(`${name}=${value}\0`);
  const found: MarkedProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`).includes(marker)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      found.push({ pid, ppid: Number(ppid), uid, command });
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return found;
}
