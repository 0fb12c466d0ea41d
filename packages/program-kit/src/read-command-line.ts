import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { ConfigError } from './config-error.ts';

type Values<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>['values'];

export type CommandLine<O extends ParseArgsOptionsConfig> =
  | { readonly help: true }
  | {
      readonly help: false;
      readonly values: Values<O>;
      readonly positionals: readonly string[];
      readonly rest: readonly string[];
    };

export interface CommandLineSpec<O extends ParseArgsOptionsConfig> {
  /** The program's name, for "(see <name> --help)". */
  readonly program: string;
  readonly options: O;
  /** Arguments after a `--` are returned as `rest` untouched (a command to run). */
  readonly rest?: boolean;
}

/**
 * Reads a command line with node:util parseArgs (strict, positionals allowed) and the `--help`/`-h`
 * every program answers. Anything parseArgs rejects becomes a ConfigError that names `--help`.
 */
export function readCommandLine<O extends ParseArgsOptionsConfig>(
  args: readonly string[],
  spec: CommandLineSpec<O>,
): CommandLine<O> {
  const split = spec.rest ? args.indexOf('--') : -1;
  const own = split === -1 ? args : args.slice(0, split);
  const rest = split === -1 ? [] : args.slice(split + 1);
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...own],
      allowPositionals: true,
      strict: true,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} (see ${spec.program} --help)`, { cause: error });
  }
  const { help, ...values } = parsed.values;
  if (help === true) return { help: true };
  return { help: false, values: values as Values<O>, positionals: parsed.positionals, rest };
}
