import { readdir, readFile } from 'node:fs/promises';
import { SPAWN_MARKER_ENV } from './tracked-process.ts';

export interface LeftoverProcess {
  pid: number;
  /** Process group id: the pid of the tracked process that started it. */
  pgid: number;
  command: string;
}

/**
 * Finds processes that carry this run's spawn marker in their environment. Children inherit the
 * environment (java → chromedriver → chromium), so this finds escaped descendants too.
 */
export async function findLeftoverProcesses(runId: string): Promise<LeftoverProcess[]> {
  const marker = Buffer.from(`${SPAWN_MARKER_ENV}=${runId}\0`);
  const found: LeftoverProcess[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = await readFile(`/proc/${pid}/environ`);
      if (!environ.includes(marker)) continue;
      // /proc/PID/stat: "pid (comm) state ppid pgrp …"; comm may contain spaces, so split after ')'.
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue; // a zombie is already dead, only unreaped
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
      found.push({ pid, pgid: Number(pgrp), command: cmdline.slice(0, 200) });
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

export function killProcesses(processes: readonly LeftoverProcess[]): void {
  for (const { pid } of processes) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
