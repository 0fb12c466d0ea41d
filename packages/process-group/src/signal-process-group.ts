/**
 * Sends `signal` to the process group led by `pid` (a child spawned with `detached: true`), so
 * what it started (a JVM under a wrapper script, Chromium under chromedriver) gets it too.
 * A group that is already gone is not an error.
 */
export function signalProcessGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
