import { runCommand, runOk } from './run-command.ts';

/** buildah with the storage driver these machines support (see shared/docs/machine.md). */
export const BUILDAH = ['buildah', '--storage-driver', process.env.STORAGE_DRIVER ?? 'vfs'] as const;

export interface ImageConfig {
  User?: string;
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  ExposedPorts?: Record<string, unknown>;
  Labels?: Record<string, string>;
}

export async function buildah(args: readonly string[], timeoutMs = 120_000): Promise<string> {
  const [command, ...rest] = BUILDAH;
  return runOk(command, [...rest, ...args], { timeoutMs });
}

export async function buildahResult(args: readonly string[], timeoutMs = 120_000) {
  const [command, ...rest] = BUILDAH;
  return runCommand(command, [...rest, ...args], { timeoutMs });
}

export async function imageConfig(ref: string): Promise<ImageConfig> {
  const inspected = JSON.parse(await buildah(['inspect', '--type', 'image', ref])) as {
    OCIv1: { config: ImageConfig };
  };
  return inspected.OCIv1.config;
}

export async function imageExists(ref: string): Promise<boolean> {
  const [command, ...rest] = BUILDAH;
  const result = await runCommand(command, [...rest, 'inspect', '--type', 'image', ref], {
    timeoutMs: 60_000,
  });
  return result.code === 0;
}
