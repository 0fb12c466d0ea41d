import { parseCommandLine } from '@scrapegrid/drain-hook';
import { parsePools } from '@scrapegrid/grid-exporter';
import { EXECUTABLE, pickProgram } from '@scrapegrid/pod-tools';
import { parseConfig as parseReaperConfig } from '@scrapegrid/sidecar-reaper';
import { beforeAll, describe, expect, test } from 'vitest';
import { containerEnv } from './container-env.ts';
import { containersIn, imageName } from './pod-templates.ts';
import { type RenderedVariant, renderedVariants } from './rendered-variants.ts';

let variants: readonly RenderedVariant[];
beforeAll(async () => {
  variants = await renderedVariants();
}, 120_000);

/**
 * Each program's own configuration parser, fed the command line and environment the manifests
 * give it: what would exit 2 at start in the cluster fails here.
 */
describe('our programs accept the configuration the manifests give them', () => {
  test('drain-hook: the preStop command drains this node through the hub, within the grace period', () => {
    const hooks = variants.flatMap((v) =>
      containersIn(v.objects)
        .filter((c) => String(c.container.lifecycle?.preStop?.exec?.command?.[0]).endsWith('/drain-hook'))
        .map((c) => ({ v, c })),
    );
    expect(hooks.length).toBeGreaterThanOrEqual(6);
    for (const { v, c } of hooks) {
      const args = c.container.lifecycle.preStop.exec.command.slice(1);
      // As shipped, the Secrets hold placeholders: the hook refuses them, naming the right Secret.
      expect(() => parseCommandLine(args, containerEnv(v.objects, c)), c.where).toThrow(
        'SE_ROUTER_PASSWORD is still the shipped placeholder; set it in the Secret selenium-grid-router',
      );
      const command = parseCommandLine(args, withRealSecrets(containerEnv(v.objects, c)));
      expect(command.kind, c.where).toBe('drain');
      if (command.kind !== 'drain') continue;
      const nodePort = c.container.ports.find((p: { name: string }) => p.name === 'node').containerPort;
      expect(new URL(command.config.nodeUrl).port).toBe(String(nodePort));
      expect(command.config.gridUrl).toBe('http://selenium-hub:4444');
      expect(command.config.registrationSecret).not.toBe('');
      // The hub's router basic auth, from the hub's own Secret (the grid-auth policy checks the keys).
      expect(command.config.hubAuth?.username).toBe('scrapegrid');
      expect(command.config.hubAuth?.password).not.toBe('');
      expect(command.config.deadlineMs / 1000).toBeLessThan(c.pod.spec.terminationGracePeriodSeconds);
    }
  });

  test('grid-exporter serves KEDA external-push where the push triggers dial it, and only there', () => {
    for (const v of variants) {
      const exporter = containersIn(v.objects).find((c) => c.container.name === 'grid-exporter');
      if (exporter === undefined) continue;
      const grpcPort = containerEnv(v.objects, exporter).GRID_EXPORTER_GRPC_PORT;
      const addresses = v.objects
        .filter((o) => o.kind === 'ScaledObject')
        .flatMap((o) => o.spec.triggers)
        .filter((t: { type: string }) => t.type === 'external-push')
        .map((t: { metadata: { scalerAddress: string } }) => t.metadata.scalerAddress);
      if (v.overlay === 'grid-keda-push') {
        expect(grpcPort, v.name).toBe('9099');
        expect(new Set(addresses), v.name).toEqual(
          new Set(['grid-exporter.scrapegrid.svc.cluster.local:9099']),
        );
      } else {
        expect(grpcPort, v.name).toBeUndefined();
        expect(addresses, v.name).toEqual([]);
      }
    }
  });

  test('pod-tools: the init containers install drain-hook and sidecar-reaper into the shared bin directory', () => {
    const installers = variants.flatMap((v) =>
      containersIn(v.objects).filter((c) => c.role === 'init' && c.container.args?.[0] === 'install'),
    );
    expect(installers.length).toBeGreaterThanOrEqual(6);
    for (const c of installers) {
      expect(imageName(c.container.image)).toBe('scrapegrid/pod-tools');
      expect(pickProgram(EXECUTABLE, c.container.args)).toEqual({
        kind: 'install',
        args: ['/scrapegrid/bin'],
      });
    }
  });

  test('one name per program: the worker container, its image, its pod label and its env prefix are all "worker"', () => {
    const workers = variants.flatMap((v) =>
      containersIn(v.objects).filter((c) => imageName(c.container.image) === 'scrapegrid/worker'),
    );
    expect(workers.length).toBeGreaterThanOrEqual(3);
    for (const c of workers) {
      expect(c.container.name, c.where).toBe('worker');
      expect(c.pod.labels['app.kubernetes.io/name'], c.where).toBe('worker');
      expect(c.pod.owner.metadata.labels?.['app.kubernetes.io/name'], c.where).toBe('worker');
      const ours = (c.container.env ?? []).map((e: { name: string }) => e.name);
      expect(ours.length, c.where).toBeGreaterThan(0);
      for (const name of ours) expect(name, c.where).toMatch(/^WORKER_/);
    }
  });

  test("sidecar-reaper: each wrapped sidecar runs its image's entrypoint; the hub's watches the pod", () => {
    const wrapped = variants.flatMap((v) =>
      containersIn(v.objects)
        .filter((c) => String(c.container.command?.[0]).endsWith('/sidecar-reaper'))
        .map((c) => ({ v, c })),
    );
    expect(wrapped.length).toBe(6); // hub + chrome in scrape-job, scrape-job-cron and demo
    for (const { v, c } of wrapped) {
      const argv = [...c.container.command.slice(1), ...(c.container.args ?? [])];
      if (v.overlay === 'demo') {
        // The one exception: the demo runs as applied, so it ships public values named demo-only
        // (its Grid answers only its own pod); every other overlay ships the refused placeholder.
        expect(containerEnv(v.objects, c).SE_REGISTRATION_SECRET, c.where).toMatch(/^demo-only-/);
      } else {
        expect(() => parseReaperConfig(argv, containerEnv(v.objects, c)), c.where).toThrow(
          'SE_REGISTRATION_SECRET is still the shipped placeholder; set it in the Secret scrape-job-grid-registration',
        );
      }
      const config = parseReaperConfig(argv, withRealSecrets(containerEnv(v.objects, c)));
      expect(config.mode).toBe('supervise');
      expect([config.command, ...config.args]).toEqual(['/opt/bin/entry_point.sh']);
      expect(config.workerContainer).toBe('worker');
      expect(config.graceMs / 1000).toBeLessThan(c.pod.spec.terminationGracePeriodSeconds ?? 30);
      // Both drain or wait with the pod's registration secret (hub and node share it).
      expect(config.registrationSecret, c.where).not.toBe('');
      if (c.container.name === 'chrome') {
        expect(config.drainNodeUrl).toBe('http://127.0.0.1:5555');
        expect(config.drainGridUrl).toBe('http://127.0.0.1:4444');
        // No pod watch in the container that renders pages: it has no token to watch with.
        expect(config.podName).toBeUndefined();
        expect(config.podNamespace).toBeUndefined();
      }
      if (c.container.name === 'hub') {
        expect(config.waitNodesGoneHubUrl).toBe('http://127.0.0.1:4444');
        expect(config.podName).toBe('scrape-job-pod');
        expect(config.podNamespace).toBe('scrapegrid');
      }
    }
  });

  test('grid-exporter: the pools file parses, and every pool names its own pods in the right namespace', () => {
    const exporters = variants.filter((v) =>
      v.objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'grid-exporter'),
    );
    // grid-keda-exporter and grid-keda-push, each as shipped and with its optional pools.
    expect(exporters.map((v) => v.name)).toEqual([
      'grid-keda-exporter',
      'grid-keda-exporter+optional',
      'grid-keda-push',
      'grid-keda-push+optional',
    ]);
    for (const v of exporters) {
      const configMap = v.objects.find(
        (o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('grid-exporter-pools'),
      );
      const pools = parsePools(configMap?.data['pools.yaml'], 'pools.yaml');
      expect(pools.map((p) => p.name)).toEqual(['chrome', 'firefox', 'edge']);
      for (const pool of pools) {
        expect(pool.kubernetes?.namespace).toBe('scrapegrid');
        expect(pool.kubernetes?.podSelector).toBe(`app.kubernetes.io/name=selenium-node-${pool.name}`);
      }
    }
  });
});

// --- internal ---

/** The environment once the user has replaced the shipped `replace-me` placeholders (k8s/README). */
function withRealSecrets(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => [
      name,
      value.startsWith('replace-me') ? `real-${name}` : value,
    ]),
  );
}
