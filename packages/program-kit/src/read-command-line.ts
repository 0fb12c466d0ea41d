import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { ConfigError } from './config-error.ts';
import { BOOLEAN_WORDS, readBoolean } from './read-boolean.ts';

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
  /**
   * Flags refused with a reason, for secrets: `ps` shows every process's command line to every
   * user of the machine, so a password is never taken there. The value says where to set it.
   */
  readonly refused?: Readonly<Record<string, string>>;
}

/**
 * Reads a command line with node:util parseArgs (strict, positionals allowed) and the `--help`/`-h`
 * every program answers. Anything parseArgs rejects becomes a ConfigError that names `--help`.
 * A boolean option is a switch: `--insecure` is true, `--no-insecure` false, and `--insecure=VALUE`
 * takes readBoolean's spelling; `--insecure true` is refused rather than read as a positional.
 */
export function readCommandLine<O extends ParseArgsOptionsConfig>(
  args: readonly string[],
  spec: CommandLineSpec<O>,
): CommandLine<O> {
  const split = spec.rest ? args.indexOf('--') : -1;
  const own = split === -1 ? args : args.slice(0, split);
  const rest = split === -1 ? [] : args.slice(split + 1);
  _refuse(own, spec.refused ?? {});
  const joined = _joinValues(own, spec.options);
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: joined,
      allowPositionals: true,
      allowNegative: true,
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

function _refuse(args: readonly string[], refused: Readonly<Record<string, string>>): void {
  for (const arg of args) {
    if (arg === '--') return;
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0]! : undefined;
    // The message names the flag only: its value is the secret.
    if (name !== undefined && Object.hasOwn(refused, name)) {
      throw new ConfigError(
        `--${name} is not taken on the command line (ps shows it to everyone): ${refused[name]}`,
      );
    }
  }
}

// `--grace-seconds -1` means the value -1, as every program here has always read it; parseArgs
// alone would call it ambiguous. A string option followed by anything takes it as its value.
// `--switch=VALUE` becomes `--switch` or `--no-switch`; `--switch true` would otherwise leave
// `true` as a stray positional, read far from the flag it was meant for.
function _joinValues(args: readonly string[], options: ParseArgsOptionsConfig): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [name, value] = arg.startsWith('--') ? _splitOnce(arg.slice(2), '=') : [undefined, undefined];
    const type = name === undefined ? undefined : options[name]?.type;
    const next = args[i + 1];
    if (type === 'string' && value === undefined && next !== undefined) {
      joined.push(`${arg}=${next}`);
      i++;
    } else if (type === 'boolean' && value !== undefined) {
      joined.push(readBoolean({ name: `--${name}`, raw: value }) ? `--${name}` : `--no-${name}`);
    } else if (type === 'boolean' && next !== undefined && BOOLEAN_WORDS.includes(next.toLowerCase())) {
      throw new ConfigError(
        `--${name} is a switch: write --${name} or --${name}=${next}, not "--${name} ${next}"`,
      );
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

function _splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
