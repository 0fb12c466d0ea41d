import { setTimeout as sleep } from 'node:timers/promises';
import { findLeftoverProcesses, killProcesses } from './leftover-processes.ts';
import { currentRunId } from './tracked-process.ts';

/**
 * Vitest globalSetup shared by every package: after the whole suite, no process started by it may
 * be left. Anything found is killed and the run fails, naming the processes.
 */
export function setup(): () => Promise<void> {
  const runId = currentRunId();
  return async () => {
    // Give groups that were just SIGKILLed a moment to disappear from /proc.
    let leftovers = await findLeftoverProcesses(runId);
    for (let i = 0; i < 20 && leftovers.length > 0; i++) {
      await sleep(100);
      leftovers = await findLeftoverProcesses(runId);
    }
    if (leftovers.length > 0) {
      killProcesses(leftovers);
      // Vitest prints an error thrown here but still exits 0: fail the run explicitly.
      process.exitCode = 1;
      const list = leftovers.map((p) => `  ${p.pid} ${p.command}`).join('\n');
      throw new Error(`the test suite left ${leftovers.length} process(es) running (now killed):\n${list}`);
    }
  };
}
