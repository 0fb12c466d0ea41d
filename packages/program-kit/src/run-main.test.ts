import { fileURLToPath } from 'node:url';
import { spawnTracked, waitUntil } from '@scrapegrid/test-support';
import { describe, expect, test } from 'vitest';

const program = fileURLToPath(new URL('../test/kit-program.ts', import.meta.url));
const run = (args: string[]) => spawnTracked('kit-program', process.execPath, [program, ...args]);

describe('runMain, readCommandLine and onShutdown in a real process', () => {
  test.each([
    { args: ['--help'], code: 0, output: 'usage: kit-program [flags]\n' },
    { args: ['-h'], code: 0, output: 'usage: kit-program [flags]\n' },
    { args: ['--bad-config'], code: 2, output: 'kit-program: --bad-config was given\n' },
    {
      args: ['--nope'],
      code: 2,
      output:
        "kit-program: Unknown option '--nope'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--nope\" (see kit-program --help)\n",
    },
  ])('$args exits $code', async ({ args, code, output }) => {
    const proc = run(args);
    expect((await proc.exited).code).toBe(code);
    expect(proc.output()).toBe(output);
  });

  test('an unexpected error exits 1 with its stack', async () => {
    const proc = run(['--crash']);
    expect((await proc.exited).code).toBe(1);
    expect(proc.output()).toMatch(/^kit-program: Error: crashed on purpose\n {4}at /);
  });

  test('SIGTERM runs close once and exits 0 when it finishes in time', async () => {
    const proc = run(['--close-ms', '50']);
    await waitUntil(() => proc.output().includes('ready\n'), {
      timeoutMs: 10_000,
      what: 'the program to start',
    });
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const lines = _json(proc.output());
    expect(lines.map((l) => l.msg)).toEqual(['started', 'stopping', 'closed']);
    expect(lines[1]).toMatchObject({ level: 40, signal: 'SIGTERM', graceMs: 1000 });
  });

  test('close may exit with its own code', async () => {
    const proc = run(['--exit-from-close', '3']);
    await waitUntil(() => proc.output().includes('ready\n'), {
      timeoutMs: 10_000,
      what: 'the program to start',
    });
    proc.child.kill('SIGINT');
    expect((await proc.exited).code).toBe(3);
  });

  test('close running past the grace exits 1 after the last words', async () => {
    const proc = run(['--close-ms', '60000', '--grace-ms', '200']);
    await waitUntil(() => proc.output().includes('ready\n'), {
      timeoutMs: 10_000,
      what: 'the program to start',
    });
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(1);
    expect(proc.output()).toContain('last words: did not stop within 200 ms of the signal\n');
    expect(_json(proc.output()).at(-1)).toMatchObject({
      level: 50,
      exitCode: 1,
      msg: 'did not stop within 200 ms of the signal',
    });
  });

  test('a second signal exits 1 at once', async () => {
    const proc = run(['--close-ms', '60000', '--grace-ms', '60000']);
    await waitUntil(() => proc.output().includes('ready\n'), {
      timeoutMs: 10_000,
      what: 'the program to start',
    });
    proc.child.kill('SIGTERM');
    await waitUntil(() => proc.output().includes('"msg":"stopping"'), {
      timeoutMs: 10_000,
      what: 'the stopping line',
    });
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(1);
    expect(proc.output()).toContain('last words: SIGTERM received twice: stopped at once\n');
  });
});

// --- internal ---

function _json(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
