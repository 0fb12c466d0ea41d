#!/usr/bin/env node
// The local cluster's command line; only wiring. scripts/cluster.sh (up|down|status) and
// scripts/keda/install-local.sh (keda-install) are the user entries that run it.
import { clusterDown, clusterStatus, clusterUp, serveCluster } from './cluster-supervisor.ts';
import { installKedaHere } from './keda/install-keda-here.ts';

const command = process.argv[2];
if (command === 'up') process.exit(await clusterUp());
else if (command === 'down') process.exit(await clusterDown());
else if (command === 'status') console.log(clusterStatus());
else if (command === 'serve') await serveCluster();
else if (command === 'keda-install') process.exit(await installKedaHere(process.env.KUBECONFIG));
else {
  console.error('usage: scripts/cluster.sh up|down|status (or main.ts keda-install, with KUBECONFIG set)');
  process.exit(2);
}
