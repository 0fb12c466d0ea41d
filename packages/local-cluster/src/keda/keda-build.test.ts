import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { KedaBuildMissing, kedaBuild } from './keda-build.ts';

describe('kedaBuild', () => {
  const saved = process.env.SCRAPEGRID_CACHE;
  const dirs: string[] = [];
  afterEach(() => {
    if (saved === undefined) delete process.env.SCRAPEGRID_CACHE;
    else process.env.SCRAPEGRID_CACHE = saved;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const cache = () => {
    const dir = mkdtempSync(join(tmpdir(), 'keda-build-test-'));
    dirs.push(dir);
    process.env.SCRAPEGRID_CACHE = dir;
    return dir;
  };

  test('an empty cache names the build command', () => {
    cache();
    const error = (() => {
      try {
        kedaBuild();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(KedaBuildMissing);
    expect((error as KedaBuildMissing).code).toBe('KEDA_BUILD_MISSING');
    expect((error as Error).message).toMatch(
      /run: bash packages\/local-cluster\/scripts\/keda\/build-images.sh$/,
    );
  });

  const fill = (dir: string) => {
    mkdirSync(join(dir, 'config', 'minimal'), { recursive: true });
    mkdirSync(join(dir, 'images'));
    writeFileSync(join(dir, 'config', 'minimal', 'kustomization.yaml'), '');
    writeFileSync(join(dir, 'images', 'keda.tar'), '');
    writeFileSync(join(dir, 'images', 'keda-metrics-apiserver.tar'), '');
  };

  test('a build without its .complete markers is not a build (one that died half-way)', () => {
    const dir = join(cache(), 'keda-v2.21.0');
    fill(dir);
    writeFileSync(join(dir, '.complete'), '');
    expect(() => kedaBuild()).toThrow(
      `KEDA v2.21.0 is not built (missing ${join(dir, 'images', '.complete')}); run: bash packages/local-cluster/scripts/keda/build-images.sh`,
    );
  });

  test('a complete build is found under keda-<pinned version>', () => {
    const root = cache();
    const dir = join(root, 'keda-v2.21.0');
    fill(dir);
    writeFileSync(join(dir, '.complete'), '');
    writeFileSync(join(dir, 'images', '.complete'), '');
    const build = kedaBuild();
    expect(build.version).toBe('v2.21.0');
    expect(build.dir).toBe(dir);
    expect(build.images.map((i) => i.name)).toEqual([
      'localhost/kedacore/keda:2.21.0',
      'localhost/kedacore/keda-metrics-apiserver:2.21.0',
    ]);
  });
});
