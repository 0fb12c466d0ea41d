import { describe, expect, test } from 'vitest';
import { runCommand } from './run-command.ts';

// Option mistakes are refused before anything is built (exit 2, a message naming the mistake).
const SCRIPT = new URL('../../scripts/build-images.sh', import.meta.url).pathname;

describe('build-images.sh options', () => {
  test.each([
    [['--push'], '--push needs --registry PREFIX'],
    [['--push', '--registry', 'example/org', '--standin-bases'], 'refusing to push them'],
    [['--kustomize-images', 'images.yaml'], '--kustomize-images needs --push'],
    [['--registry', 'example/org', '--kustomize-images', 'images.yaml'], '--kustomize-images needs --push'],
    [['--insecure-registry'], '--insecure-registry only applies to --push'],
    [['no-such-image'], 'no images/no-such-image/Dockerfile'],
    [['--tool', 'podman'], '--tool must be docker or buildah'],
    [['--bogus'], 'unknown option --bogus'],
  ])('%j is refused: %s', async (args, message) => {
    const result = await runCommand(SCRIPT, args, { timeoutMs: 30_000 });
    expect(result.code).toBe(2);
    expect(result.output).toContain(message);
  });

  test('--help prints the usage and builds nothing', async () => {
    const result = await runCommand(SCRIPT, ['--help'], { timeoutMs: 30_000 });
    expect(result.code).toBe(2);
    expect(result.output).toContain('scripts/build-images.sh [options] [image ...]');
  });
});
