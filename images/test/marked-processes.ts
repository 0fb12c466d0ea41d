import { readdirSync, readFileSync } from 'node:fs';

export interface GroupProcess {
  pid: number;
  ppid: number;
  uid: number;
  command: string;
}

/** The live processes of a process group (e.g. a tracked `buildah run` and what runs inside it). */
export function groupProcesses(pgid: number): GroupProcess[] {
  const found: GroupProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) !== pgid || state === 'Z') continue;
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      found.push({ pid, ppid: Number(ppid), uid, command });
    } catch {
      // gone while we looked
    }
  }
  return found;
}
