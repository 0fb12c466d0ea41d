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
      args: _joinValues(own, spec.options),
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

// --- internal ---

// `--grace-seconds -1` means the value -1, as every program here has always read it; parseArgs
// alone would call it ambiguous. A string option followed by anything takes it as its value.
function _joinValues(args: readonly string[], options: ParseArgsOptionsConfig): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && i + 1 < args.length) {
      joined.push(`${arg}=${args[++i]}`);
    } else {
      joined.push(arg);
    }
  }
  return joined;
}
