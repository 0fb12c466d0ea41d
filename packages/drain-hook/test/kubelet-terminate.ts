import type { GridNode } from '@scrapegrid/test-support';
import { type HookResult, startHook } from './hook-process.ts';

export interface Termination {
  hook: HookResult | undefined;
  /** How the node's process ended: after SIGTERM, or SIGKILLed at the end of the grace period. */
  killedAtGrace: boolean;
}

/**
 * Deletes a "pod" the way the kubelet does: run the preStop hook (if any) for at most the grace
 * period, then SIGTERM the main process, then SIGKILL when the grace period is over.
 */
export async function kubeletTerminate(
  node: GridNode,
  options: { graceSeconds: number; hook?: { args: string[]; env: Record<string, string> } },
): Promise<Termination> {
  const graceEnds = performance.now() + options.graceSeconds * 1000;
  let hook: HookResult | undefined;
  if (options.hook) {
    const running = startHook(options.hook.args, options.hook.env);
    const timer = setTimeout(() => running.process.signalGroup('SIGKILL'), options.graceSeconds * 1000);
    hook = await running.done;
    clearTimeout(timer);
  }
  node.terminate();
  const killed = await Promise.race([
    node.process.exited.then(() => false),
    new Promise<boolean>((resolve) =>
      setTimeout(() => resolve(true), Math.max(0, graceEnds - performance.now())),
    ),
  ]);
  if (killed) await node.kill();
  return { hook, killedAtGrace: killed };
}
