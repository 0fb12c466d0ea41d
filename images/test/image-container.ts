import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  currentRunId,
  findMarkedProcesses,
  type MarkedProcess,
  SPAWN_MARKER_ENV,
  spawnTracked,
  type TrackedProcess,
  waitUntil,
} from '@scrapegrid/test-support';
import { BUILDAH, buildah, buildahResult } from './buildah.ts';
import { type CommandResult, runOk } from './run-command.ts';

const CONTAINER_ENV = 'SCRAPEGRID_IMAGES_CONTAINER';

export interface RunOptions {
  /** user[:group]; default: the image's USER. */
  user?: string;
  /** host path → container path, bind-mounted read-write (the emptyDir of a pod). */
  volumes?: Record<string, string>;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * A working container of an image, run the way these machines allow (`buildah run --isolation
 * chroot`, host network). With readOnly, its root filesystem is a read-only bind mount, as with
 * Kubernetes' readOnlyRootFilesystem: only the volumes given to each run are writable. Mount points
 * that a container runtime would create (volume targets, /etc/hosts…) are created before that.
 */
export class ImageContainer {
  readonly name: string;
  readonly root: string;
  readonly #runDir: string;
  readonly #readOnly: boolean;

  private constructor(name: string, root: string, runDir: string, readOnly: boolean) {
    this.name = name;
    this.root = root;
    this.#runDir = runDir;
    this.#readOnly = readOnly;
  }

  static async open(
    ref: string,
    { readOnly = true, mountPoints = [] }: { readOnly?: boolean; mountPoints?: readonly string[] } = {},
  ): Promise<ImageContainer> {
    const name = (await buildah(['from', '--pull=never', '--quiet', ref])).trim().split('\n').pop() ?? '';
    const root = (await buildah(['mount', name])).trim();
    const runDir = mkdtempSync(join(tmpdir(), 'scrapegrid-images-run-'));
    const container = new ImageContainer(name, root, runDir, readOnly);
    try {
      for (const dir of ['tmp', 'run', 'proc', 'sys', 'dev', 'etc', ...mountPoints.map((p) => p.slice(1))]) {
        mkdirSync(join(root, dir), { recursive: true });
      }
      for (const file of ['etc/hosts', 'etc/resolv.conf', 'etc/hostname']) {
        writeFileSync(join(root, file), '', { flag: 'a' });
      }
      if (readOnly) {
        await runOk('mount', ['--bind', root, root], { timeoutMs: 10_000 });
        await runOk('mount', ['-o', 'remount,bind,ro', root], { timeoutMs: 10_000 });
        // buildah writes and later removes /run/.containerenv; give it a writable /run so the
        // read-only root does not make its cleanup fail.
        await runOk('mount', ['--bind', runDir, join(root, 'run')], { timeoutMs: 10_000 });
      }
    } catch (error) {
      await container.close();
      throw error;
    }
    return container;
  }

  /** Runs argv in the container to its end; `code` is the program's exit code. */
  async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    return buildahResult(this.#runArgs(argv, options), options.timeoutMs ?? 60_000);
  }

  /** Starts argv in the container and returns at once (a server); stop it with its stop(). */
  start(label: string, argv: readonly string[], options: RunOptions = {}): TrackedProcess {
    const [command, ...rest] = BUILDAH;
    return spawnTracked(label, command, [...rest, ...this.#runArgs(argv, options)]);
  }

  /** What runs in this container now (found by the marker every run carries). */
  processes(): MarkedProcess[] {
    return findMarkedProcesses(CONTAINER_ENV, this.name);
  }

  async close(): Promise<void> {
    // A process under tini has its own process group, so stopping `buildah run` may not reach it.
    for (const p of this.processes()) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await waitUntil(() => this.processes().length === 0, {
      what: `the processes of ${this.name} to end`,
      timeoutMs: 10_000,
    }).catch(() => undefined);
    if (this.#readOnly) {
      for (const target of [join(this.root, 'run'), this.root]) {
        await runOk('umount', [target], { timeoutMs: 10_000 }).catch(() => undefined);
      }
    }
    await buildah(['rm', this.name]).catch(() => undefined);
    rmSync(this.#runDir, { recursive: true, force: true });
  }

  #runArgs(argv: readonly string[], { user, volumes = {}, env = {} }: RunOptions): string[] {
    return [
      'run',
      '--isolation',
      'chroot',
      '--network',
      'host',
      ...(user ? ['--user', user] : []),
      ...Object.entries(volumes).flatMap(([host, target]) => ['--volume', `${host}:${target}`]),
      // The suite's leftover check and close() find what runs inside by these markers.
      ...Object.entries({ ...env, [SPAWN_MARKER_ENV]: currentRunId(), [CONTAINER_ENV]: this.name }).flatMap(
        ([name, value]) => ['--env', `${name}=${value}`],
      ),
      this.name,
      '--',
      ...argv,
    ];
  }
}
