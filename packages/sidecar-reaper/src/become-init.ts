import { accessSync, constants } from 'node:fs';

/** Set on the re-executed reaper so it does not try to put an init in front of itself again. */
export const UNDER_INIT_ENV = 'SIDECAR_REAPER_UNDER_INIT';

/**
 * When the reaper is PID 1 it must reap orphans: processes its sidecar's tree abandons (an
 * orphaned Chromium, a double-forked helper) are re-parented to PID 1 and stay zombies until
 * PID 1 waits for them. Node cannot: libuv only waits for the pids it spawned, and there is no
 * waitpid(-1) in Node. So PID 1 becomes bash, which reaps every child it is given (its SIGCHLD
 * handler calls waitpid(-1)), forwards termination signals to the reaper, and exits with the
 * reaper's code. The reaper runs as bash's child and supervises as before.
 *
 * Returns only when it does not apply (not PID 1, already under the init, no bash): then the
 * caller goes on as is. Otherwise the process image is replaced and this never returns.
 */
export function becomeInitIfPid1(
  reaperArgv: readonly string[],
  env: NodeJS.ProcessEnv,
  bash = '/bin/bash',
): string {
  if (env[UNDER_INIT_ENV] === '1') return 'running under the bash init, which reaps orphans';
  if (process.pid !== 1) return 'not PID 1';
  if (!process.execve) return 'this Node has no process.execve: orphans are not reaped';
  try {
    accessSync(bash, constants.X_OK);
  } catch {
    return `no ${bash}: orphaned processes will stay zombies until the container ends`;
  }
  process.execve(bash, ['bash', '-c', INIT_SCRIPT, 'sidecar-reaper-init', ...reaperArgv], {
    ...env,
    [UNDER_INIT_ENV]: '1',
  });
  return 'unreachable';
}

// --- internal ---

// `wait` returns early when a trapped signal arrives; loop until the reaper itself has exited.
const INIT_SCRIPT = `
for s in TERM INT HUP QUIT USR1 USR2; do trap "kill -$s \\$child 2>/dev/null" $s; done
"$@" &
child=$!
while :; do
  wait "$child"; rc=$?
  kill -0 "$child" 2>/dev/null || break
done
exit "$rc"
`;
