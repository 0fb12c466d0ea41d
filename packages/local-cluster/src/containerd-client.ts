import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ContainerdClient {
  /** Runs `ctr` against the node's containerd in the kubelet's namespace (k8s.io). */
  ctr(args: readonly string[], timeoutMs?: number): Promise<string>;
  /** Image names the node's containerd holds. */
  images(): Promise<string[]>;
  /** Imports an OCI archive under `name` (e.g. `docker.io/scrapegrid/worker:0.1.0`). */
  importImage(archive: string, name: string): Promise<void>;
}

/** The node's containerd through Debian's ctr, on the socket of one cluster run. */
export function containerdClient(ctrBinary: string, socket: () => string): ContainerdClient {
  const ctr = async (args: readonly string[], timeoutMs = 300_000) =>
    (
      await run(ctrBinary, ['--address', socket(), '--namespace', 'k8s.io', ...args], {
        timeout: timeoutMs,
        maxBuffer: 16 << 20,
      })
    ).stdout;
  const images = async () =>
    (await ctr(['images', 'list', '--quiet'], 30_000))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
  return {
    ctr,
    images,
    async importImage(archive, name) {
      const before = new Set(await images());
      const out = await ctr(['images', 'import', '--no-unpack=false', archive]);
      const after = await images();
      if (after.includes(name)) return;
      // An archive names its image by its own reference: tag what it brought under the wanted name.
      const imported =
        after.find((i) => !before.has(i) && !i.startsWith('sha256:')) ?? /unpacking (\S+)/.exec(out)?.[1];
      if (!imported) throw new Error(`importing ${archive} into containerd brought no named image:\n${out}`);
      await ctr(['images', 'tag', '--force', imported, name], 60_000);
    },
  };
}
