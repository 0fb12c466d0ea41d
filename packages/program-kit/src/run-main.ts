import { ConfigError } from './config-error.ts';

/**
 * The one place a program turns its outcome into an exit code: the number `main` resolves to;
 * 2 with the message for a ConfigError; 1 with the stack for anything else. Every main.ts ends
 * with it, so exit codes mean the same in every program.
 */
export function runMain(program: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError) {
        process.stderr.write(`${program}: ${error.message}\n`);
        process.exit(ConfigError.exitCode);
      }
      process.stderr.write(`${program}: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
