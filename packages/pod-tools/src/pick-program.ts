import { basename } from 'node:path';

/** The one executable copied into selenium containers, and the programs it answers to. */
export const EXECUTABLE = 'pod-tools';
export const PROGRAMS = ['drain-hook', 'sidecar-reaper'] as const;
export type Program = (typeof PROGRAMS)[number];

export type Picked =
  | { readonly kind: 'program'; readonly program: Program; readonly args: readonly string[] }
  | { readonly kind: 'install'; readonly args: readonly string[] }
  | { readonly kind: 'help' }
  | { readonly kind: 'unknown'; readonly command: string };

/**
 * Which program a run of pod-tools is: the name it was started under (a link named drain-hook
 * or sidecar-reaper, as `install` makes them, so manifests keep each program's own path), else
 * the first argument (`pod-tools drain-hook …`). `install <dir>` works under every name.
 */
export function pickProgram(argv0: string, args: readonly string[]): Picked {
  const name = basename(argv0);
  const [first, ...rest] = args;
  if (first === 'install') return { kind: 'install', args: rest };
  if ((PROGRAMS as readonly string[]).includes(name))
    return { kind: 'program', program: name as Program, args };
  if ((PROGRAMS as readonly string[]).includes(first ?? '')) {
    if (rest[0] === 'install') return { kind: 'install', args: rest.slice(1) };
    return { kind: 'program', program: first as Program, args: rest };
  }
  if (first === undefined || first === '--help' || first === '-h') return { kind: 'help' };
  return { kind: 'unknown', command: first };
}

export const USAGE = `pod-tools: the one executable an init container copies into a selenium pod; it answers to
the name it is started under, or to its first argument.

Usage:
  drain-hook [flags]                 (a link made by install)  preStop hook: drain the Grid node
  sidecar-reaper [flags] -- <cmd>    (a link made by install)  supervise <cmd>; stop it when the worker is done
  pod-tools drain-hook|sidecar-reaper [args]
  pod-tools install <dir>            copy this executable to <dir>/pod-tools and link drain-hook and
                                     sidecar-reaper to it (no shell or cp needed in the image)
  pod-tools --help                   this text; each program's own: drain-hook --help, sidecar-reaper --help
`;
