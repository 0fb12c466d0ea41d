import { mkdtemp, readlink, rm, stat } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnTracked, waitUntil } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HOOK_ARGS, HOOK_BINARY, startHook } from './hook-process.ts';

// The built executable without a Grid: command line, exit codes, install, bounded calls.
describe('drain-hook in the built pod-tools executable', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'drain-hook-cli-'));
  });
  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  test('--help documents every flag and the secrets from the environment, exit 0', async () => {
    const help = await _stdout(['--help']);
    for (const word of [
      '--node-url',
      '--grid-url',
      '--deadline-seconds',
      '--poll-ms',
      '--http-timeout-ms',
      '--ca-file',
      '--insecure',
      '--log-mirror',
      'install <dir>',
      'SE_REGISTRATION_SECRET',
      'SE_ROUTER_PASSWORD',
      'terminationGracePeriodSeconds',
    ]) {
      expect(help).toContain(word);
    }
  });

  test.each([
    [['--deadline-seconds', 'soon'], /--deadline-seconds must be a number/],
    [['--node-url', 'localhost:5555'], /--node-url must be an http or https URL, got "localhost:5555"/],
    [['--registration-secret', 'x'], /Unknown option '--registration-secret'/],
  ])('bad configuration %o: exit 2 with what to fix', async (args, message) => {
    const result = await startHook(args).done;
    expect(result.exit.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  test('no node listening: "already gone", exit 0 at once', async () => {
    const port = await freePort();
    const result = await startHook(['--node-url', `http://127.0.0.1:${port}`]).done;
    expect(result.exit.code).toBe(0);
    expect(result.exitedAt - result.upAt).toBeLessThan(1_000);
    expect(result.lines.at(-1)).toMatchObject({ step: 'exit', exitCode: 0, result: 'already-gone' });
  });

  test('credentials in the Grid URL: basic auth for the hub, and in no line the hook prints', async () => {
    const [nodePort, hubPort] = [await freePort(), await freePort()];
    const result = await startHook(['--node-url', `http://127.0.0.1:${nodePort}`], {
      DRAIN_HOOK_GRID_URL: `http://admin:hub-pw-93e1@127.0.0.1:${hubPort}`,
    }).done;
    expect(result.exit.code, result.stderr).toBe(0);
    expect(result.lines.find((l) => l.step === 'start')?.config).toMatchObject({
      gridUrl: `http://127.0.0.1:${hubPort}`,
      hubAuth: { username: 'admin', password: '[redacted]' },
    });
    expect(`${JSON.stringify(result.lines)}${result.stderr}`).not.toContain('hub-pw-93e1');
  });

  test('a node that accepts connections but never answers does not hang the hook', async () => {
    const { server, port } = await _blackHole();
    try {
      const result = await startHook([
        '--node-url',
        `http://127.0.0.1:${port}`,
        '--http-timeout-ms',
        '400',
        '--deadline-seconds',
        '20',
      ]).done;
      expect(result.exit.code).toBe(0);
      // Three bounded looks at /status, then it gives up on the node.
      expect(result.exitedAt - result.upAt).toBeLessThan(3_000);
      expect(result.lines.find((l) => l.step === 'already-gone')?.reason).toMatch(/timed out/);
    } finally {
      server.close();
    }
  });

  test('SIGTERM or SIGINT to the hook: it says so and exits 1', async () => {
    const { server, port } = await _blackHole();
    try {
      const hook = startHook(['--node-url', `http://127.0.0.1:${port}`, '--deadline-seconds', '30']);
      await waitUntil(() => hook.lines().some((l) => l.step === 'start'), {
        what: 'the hook to start',
        timeoutMs: 10_000,
      });
      hook.process.child.kill('SIGTERM');
      const result = await hook.done;
      expect(result.exit.code).toBe(1);
      expect(result.lines.at(-1)).toMatchObject({ step: 'interrupted', signal: 'SIGTERM', exitCode: 1 });
    } finally {
      server.close();
    }
  });

  test('install <dir> copies the executable once and links drain-hook to it, which then runs from there', async () => {
    const dir = join(workDir, 'scrapegrid', 'bin');
    const output = await _stdout(['install', dir]);
    expect(output.trim().split('\n')).toEqual([
      join(dir, 'pod-tools'),
      join(dir, 'drain-hook'),
      join(dir, 'sidecar-reaper'),
    ]);
    expect(await readlink(join(dir, 'drain-hook'))).toBe('pod-tools');
    const [copied, original] = await Promise.all([stat(join(dir, 'drain-hook')), stat(HOOK_BINARY)]);
    expect(copied.size).toBe(original.size);
    expect(copied.mode & 0o111).toBe(0o111);
    const proc = spawnTracked('installed-drain-hook', join(dir, 'drain-hook'), ['--help']);
    expect((await proc.exited).code).toBe(0);
    expect(proc.output()).toContain('drain-hook install <dir>');
  });
});

// --- internal ---

async function _stdout(args: string[]): Promise<string> {
  let out = '';
  const proc = spawnTracked('drain-hook', HOOK_BINARY, [...HOOK_ARGS, ...args], {
    env: { DRAIN_HOOK_LOG_MIRROR: '' },
    onOutput: (chunk, stream) => {
      if (stream === 'stdout') out += chunk;
    },
  });
  const exit = await proc.exited;
  if (exit.code !== 0) throw new Error(`drain-hook ${args.join(' ')} exited ${exit.code}: ${proc.output()}`);
  return out;
}

/** A TCP server that accepts connections and never answers: a hung JVM. */
async function _blackHole(): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('close', () => {
    for (const socket of sockets) socket.destroy();
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port };
}
