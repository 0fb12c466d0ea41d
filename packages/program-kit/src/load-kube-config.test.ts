import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadKubeConfig } from './load-kube-config.ts';

describe('loadKubeConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubeconfig-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads the file it is given', async () => {
    const path = join(dir, 'config');
    await writeFile(
      path,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'https://10.0.0.1:6443' } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'ns' } }],
        'current-context': 'x',
      }),
    );
    const kc = await loadKubeConfig({ kubeconfigPath: path, purpose: 'test' });
    expect(kc.getCurrentCluster()?.server).toBe('https://10.0.0.1:6443');
  });

  test('a file that is not there is a ConfigError naming the purpose', async () => {
    await expect(
      loadKubeConfig({ kubeconfigPath: join(dir, 'missing'), purpose: 'pod watch' }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/^pod watch: no Kubernetes credentials: ENOENT/),
    });
  });
});
