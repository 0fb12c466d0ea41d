import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheRoot } from './cache-root.ts';
import { goModVersion } from './go-mod-version.ts';

export class ClusterBuildMissing extends Error {
  readonly code = 'CLUSTER_BUILD_MISSING';
}

export interface ClusterBinaries {
  readonly kubernetesVersion: string;
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly kubelet: string;
  readonly kubeProxy: string;
  readonly kubectl: string;
  readonly coredns: string;
  /** kube-router (its firewall controller enforces NetworkPolicy); only a start with `networkPolicy` needs it. */
  readonly kubeRouter: string;
  /** Debian's containerd, ctr, runc and CNI plugins. */
  readonly containerd: string;
  readonly ctr: string;
  readonly runc: string;
  readonly cniBinDir: string;
}

/**
 * Where the local cluster's binaries are: ours built by this package's scripts/build-*.sh into the cache,
 * the container runtime from Debian (scripts/setup-system.sh). Throws ClusterBuildMissing naming
 * the first missing piece and the command that provides it.
 */
export function clusterBinaries(): ClusterBinaries {
  const kubernetesVersion = goModVersion('kubernetes/go.mod', 'k8s.io/kubernetes');
  const corednsVersion = goModVersion('coredns/go.mod', 'github.com/coredns/coredns');
  const k8sBin = join(cacheRoot(), `kubernetes-${kubernetesVersion}`, 'bin');
  const corednsBin = join(cacheRoot(), `coredns-${corednsVersion}`, 'bin');
  const kubeRouterVersion = goModVersion('kube-router/go.mod', 'github.com/cloudnativelabs/kube-router/v2');
  const bins: ClusterBinaries = {
    kubernetesVersion,
    etcd: join(k8sBin, 'etcd'),
    kubeApiserver: join(k8sBin, 'kube-apiserver'),
    kubeControllerManager: join(k8sBin, 'kube-controller-manager'),
    kubeScheduler: join(k8sBin, 'kube-scheduler'),
    kubelet: join(k8sBin, 'kubelet'),
    kubeProxy: join(k8sBin, 'kube-proxy'),
    kubectl: join(k8sBin, 'kubectl'),
    coredns: join(corednsBin, 'coredns'),
    kubeRouter: join(cacheRoot(), `kube-router-${kubeRouterVersion}`, 'bin', 'kube-router'),
    containerd: '/usr/bin/containerd',
    ctr: '/usr/bin/ctr',
    runc: '/usr/sbin/runc',
    cniBinDir: '/usr/lib/cni',
  };
  const fromBuild = (script: string) => `run bash packages/local-cluster/scripts/${script}`;
  const fromApt = 'run bash scripts/setup-system.sh (as root)';
  const needed: [string, string][] = [
    [join(k8sBin, '.complete'), fromBuild('build-kubernetes.sh')],
    [join(corednsBin, '.complete'), fromBuild('build-coredns.sh')],
    [bins.containerd, fromApt],
    [bins.ctr, fromApt],
    [bins.runc, fromApt],
    [join(bins.cniBinDir, 'bridge'), fromApt],
    [join(bins.cniBinDir, 'host-local'), fromApt],
    [join(bins.cniBinDir, 'loopback'), fromApt],
    [join(bins.cniBinDir, 'portmap'), fromApt],
    ['/usr/sbin/conntrack', fromApt],
    ['/usr/bin/buildah', fromApt],
  ];
  for (const [path, remedy] of needed) {
    if (!existsSync(path))
      throw new ClusterBuildMissing(`the local cluster needs ${path}, which is missing: ${remedy}`);
  }
  return bins;
}

/**
 * What enforcing NetworkPolicy adds (startLocalCluster's `networkPolicy`): our kube-router build and
 * Debian's ipset, which it drives. Throws ClusterBuildMissing naming the first missing piece.
 */
export function requireNetworkPolicyBinaries(bins: ClusterBinaries): void {
  const needed: [string, string][] = [
    [
      join(dirname(bins.kubeRouter), '.complete'),
      'run bash packages/local-cluster/scripts/build-kube-router.sh',
    ],
    [IPSET, 'run bash scripts/setup-system.sh (as root)'],
  ];
  for (const [path, remedy] of needed) {
    if (!existsSync(path))
      throw new ClusterBuildMissing(`NetworkPolicy enforcement needs ${path}, which is missing: ${remedy}`);
  }
}

// --- internal ---

const IPSET = '/usr/sbin/ipset';
