import { spawnTracked } from '@scrapegrid/test-support';

export interface CommandResult {
  code: number | null;
  output: string;
}

export interface RunCommandOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Lines of output as they arrive (for long builds). */
  onOutput?: (chunk: string) => void;
}

/**
 * Runs a command to its end through spawnTracked (own process group, killed on every path) and
 * returns its exit code and output. At the deadline the group is stopped and the result says so.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  { timeoutMs, env, cwd, onOutput }: RunCommandOptions,
): Promise<CommandResult> {
  const child = spawnTracked(args[0] === undefined ? command : `${command} ${args[0]}`, command, args, {
    env,
    cwd,
    keepOutputBytes: 4 * 1024 * 1024,
    onOutput: onOutput ? (chunk) => onOutput(chunk) : undefined,
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void child.stop(5_000);
  }, timeoutMs);
  try {
    const exit = await child.exited;
    if (timedOut) return { code: null, output: `${child.output()}\n[timed out after ${timeoutMs} ms]` };
    return { code: exit.code, output: child.output() };
  } finally {
    clearTimeout(timer);
    await child.stop(1_000);
  }
}

/** Like runCommand, but throws with the output when the exit code is not 0. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: RunCommandOptions,
): Promise<string> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.output.slice(-4000)}`);
  }
  return result.output;
}
