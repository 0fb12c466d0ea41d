import { fileURLToPath } from 'node:url';
import { type ProcessExit, spawnTracked, type TrackedProcess } from '@scrapegrid/test-support';

/**
 * The built single executable, pod-tools, which ships drain-hook: the tests run what ships, not
 * the TypeScript. A path into the sibling package's build output, not a dependency: pod-tools
 * depends on drain-hook (turbo.json here builds it before these tests).
 */
export const HOOK_BINARY = fileURLToPath(new URL('../../pod-tools/dist/pod-tools', import.meta.url));
/** The arguments that select drain-hook in it (a pod runs it through a link named drain-hook). */
export const HOOK_ARGS = ['drain-hook'] as const;

export interface HookLine {
  step?: string;
  level: number;
  msg: string;
  sessions?: number;
  nodeId?: string;
  elapsedMs: number;
  [key: string]: unknown;
}

export interface HookResult {
  exit: ProcessExit;
  /** performance.now() in the test process when the hook was started and when it exited. */
  startedAt: number;
  exitedAt: number;
  /**
   * When its first log line arrived: the hook is up. On a loaded machine loading a 120 MiB
   * executable alone can take a second, so time-to-act is measured from here.
   */
  upAt: number;
  lines: HookLine[];
  stderr: string;
}

export interface HookProcess {
  readonly process: TrackedProcess;
  readonly startedAt: number;
  /** Log lines seen so far. */
  lines(): HookLine[];
  readonly done: Promise<HookResult>;
}

/**
 * Starts dist/drain-hook with `args` and a clean environment: no SE_* or DRAIN_HOOK_* from the
 * machine, and no mirror to /proc/1/fd/1 (that is this machine's init, not a container's).
 */
export function startHook(args: readonly string[], env: Record<string, string> = {}): HookProcess {
  const lines: HookLine[] = [];
  let partial = '';
  let stderr = '';
  let upAt: number | undefined;
  const cleanEnv = Object.fromEntries(
    Object.keys(process.env)
      .filter((key) => key.startsWith('SE_') || key.startsWith('DRAIN_HOOK_'))
      .map((key) => [key, undefined]),
  ) as Record<string, undefined>;
  const startedAt = performance.now();
  const proc = spawnTracked('drain-hook', HOOK_BINARY, [...HOOK_ARGS, ...args], {
    env: { ...cleanEnv, DRAIN_HOOK_LOG_MIRROR: '', ...env },
    onOutput: (chunk, stream) => {
      if (stream === 'stderr') {
        stderr += chunk;
        return;
      }
      upAt ??= performance.now();
      partial += chunk;
      const complete = partial.split('\n');
      partial = complete.pop() ?? '';
      for (const line of complete) {
        if (!line.trim()) continue;
        // Everything the hook logs is JSON; anything else (--help) is kept as a `text` line.
        try {
          lines.push(JSON.parse(line) as HookLine);
        } catch {
          lines.push({ level: 0, msg: line, elapsedMs: -1, text: true });
        }
      }
    },
  });
  const done = proc.exited.then((exit) => ({
    exit,
    startedAt,
    exitedAt: performance.now(),
    upAt: upAt ?? performance.now(),
    lines,
    stderr,
  }));
  return { process: proc, startedAt, lines: () => lines, done };
}
