import { readdirSync, readFileSync } from 'node:fs';
import { SPAWN_MARKER_ENV } from './tracked-process.ts';

export interface MarkedProcess {
  pid: number;
  ppid: number;
  /** Process group id: for a tracked process's descendants, the pid of the tracked process. */
  pgid: number;
  uid: number;
  command: string;
}
/** What findLeftoverProcesses reports. */
export type LeftoverProcess = MarkedProcess;

/**
 * The one leftover-process finder: the live processes whose environment holds NAME=VALUE.
 * Children inherit the environment (java → chromedriver → chromium), so this finds escaped
 * descendants too; processes inside an image do not inherit it and are marked explicitly.
 * Zombies are left out: they are dead, only unreaped.
 */
export function findMarkedProcesses(name: string, value: string): MarkedProcess[] {
  const marker = Buffer.from(`${name}=${value}\0`);
  const found: MarkedProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`).includes(marker)) continue;
      // /proc/PID/stat: "pid (comm) state ppid pgrp …"; comm may contain spaces, so split after ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      found.push({ pid, ppid: Number(ppid), pgid: Number(pgrp), uid, command: command.slice(0, 200) });
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

/** The processes this test run started (spawnTracked marks them) that are still alive. */
export async function findLeftoverProcesses(runId: string): Promise<LeftoverProcess[]> {
  return findMarkedProcesses(SPAWN_MARKER_ENV, runId);
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
