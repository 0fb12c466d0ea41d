import { attachLocalCluster } from '../attach-local-cluster.ts';
import { installKeda } from './install-keda.ts';

/**
 * scripts/keda/install-local.sh's step after the build: KEDA into the local cluster that KUBECONFIG
 * names (the one `scripts/cluster.sh up` started), by installKeda, as the tests install it.
 */
export async function installKedaHere(kubeconfig: string | undefined): Promise<number> {
  if (!kubeconfig) {
    console.error('install-keda: set KUBECONFIG to the kubeconfig that bash scripts/cluster.sh up prints');
    return 2;
  }
  const keda = await installKeda(attachLocalCluster(kubeconfig), {
    log: (line) => console.error(`install-keda: ${line}`),
  });
  console.error(`install-keda: KEDA ${keda.build.version} is running; external metrics are served`);
  return 0;
}
