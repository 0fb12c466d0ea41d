import type { LocalCluster } from '@scrapegrid/local-cluster';
import type { K8sObject } from '../k8s-object.ts';
import { kubeList } from './kube-list.ts';

/**
 * Applies `objects` server-side, as `kubectl apply -k` users do, then waits until each named
 * Deployment of `namespace` is Available (its pods Ready, so a hub answers and nodes registered).
 */
export async function applyAndWaitAvailable(
  cluster: LocalCluster,
  objects: K8sObject[],
  wait: { namespace: string; deployments: string[]; timeoutSeconds: number },
): Promise<void> {
  await cluster.kubectl(['apply', '--server-side', '-f', '-'], { input: kubeList(objects) });
  await cluster.kubectl(
    [
      '-n',
      wait.namespace,
      'wait',
      '--for=condition=Available',
      ...wait.deployments.map((name) => `deployment/${name}`),
      `--timeout=${wait.timeoutSeconds}s`,
    ],
    { timeoutMs: (wait.timeoutSeconds + 10) * 1000 },
  );
}
