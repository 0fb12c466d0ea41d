#!/usr/bin/env node
// The local cluster's command line; only wiring. scripts/cluster.sh (up|down|status|images) and
// scripts/keda/install-local.sh (keda-install) are the user entries that run it.
import { clusterDown, clusterStatus, clusterUp, serveCluster } from './cluster-supervisor.ts';
import { installKedaHere } from './keda/install-keda-here.ts';
import { loadImagesHere } from './load-images-here.ts';

const commands: Record<string, () => Promise<number | undefined>> = {
  up: clusterUp,
  down: clusterDown,
  status: async () => {
    console.log(clusterStatus());
    return 0;
  },
  serve: async () => {
    await serveCluster();
    return undefined; // runs until SIGUSR2
  },
  images: () => loadImagesHere(process.env.KUBECONFIG),
  'keda-install': () => installKedaHere(process.env.KUBECONFIG),
};

const command = commands[process.argv[2] ?? ''];
if (!command) {
  console.error(
    'usage: scripts/cluster.sh up|down|status|images (or main.ts keda-install, with KUBECONFIG set)',
  );
  process.exit(2);
}
try {
  const code = await command();
  if (code !== undefined) process.exit(code);
} catch (error) {
  // A refusal with a code (a missing build, a busy lock, not a local cluster) is one line; anything else keeps its stack.
  const coded = error instanceof Error && 'code' in error && typeof error.code === 'string';
  console.error(
    `local-cluster: ${coded ? error.message : error instanceof Error ? error.stack : String(error)}`,
  );
  process.exit(1);
}
