import type { ClusterBinaries } from './cluster-binaries.ts';
import type { ClusterFiles, ClusterPorts } from './cluster-config-files.ts';
import { clusterLayout as L } from './cluster-layout.ts';
import type { ClusterPki } from './cluster-pki.ts';

/** A program and its arguments. */
export interface ClusterCommandLine {
  command: string;
  args: string[];
}

export interface ClusterCommandLines {
  etcd: ClusterCommandLine;
  apiserver: ClusterCommandLine;
  controllerManager: ClusterCommandLine;
  scheduler: ClusterCommandLine;
  containerd: ClusterCommandLine;
  kubelet: ClusterCommandLine;
  kubeProxy: ClusterCommandLine;
  kubeRouter: ClusterCommandLine;
}

export interface ClusterCommandOptions {
  /** The API server's etcd compaction interval (Kubernetes' default is 5 minutes). */
  etcdCompactionIntervalSeconds?: number;
  /** Appended to the API server's flags (later flags win), e.g. a short --min-request-timeout. */
  extraApiserverArgs?: readonly string[];
}

/** How each cluster process is started: the flags a kubeadm cluster would have, on our ports and paths. */
export function clusterCommandLines(
  bins: ClusterBinaries,
  files: ClusterFiles,
  pki: ClusterPki,
  ports: ClusterPorts,
  options: ClusterCommandOptions = {},
): ClusterCommandLines {
  const etcdUrl = `http://127.0.0.1:${ports.etcdClient}`;
  const peerUrl = `http://127.0.0.1:${ports.etcdPeer}`;
  const apiserver = pki.pair('apiserver');
  const kubeletClient = pki.pair('apiserver-kubelet-client');
  const frontProxy = pki.pair('front-proxy-client');
  const controlPlaneAuth = (kubeconfig: string) => [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    '--leader-elect=false',
  ];
  return {
    etcd: {
      command: bins.etcd,
      args: [
        '--name=scrapegrid',
        `--data-dir=${files.etcdDataDir}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=scrapegrid=${peerUrl}`,
        // A throwaway cluster on a disk shared by other work: durability buys nothing here.
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
    },
    apiserver: {
      command: bins.kubeApiserver,
      args: [
        `--etcd-servers=${etcdUrl}`,
        `--advertise-address=${L.bridgeIp}`,
        `--bind-address=${L.bridgeIp}`,
        `--secure-port=${ports.apiserver}`,
        `--service-cluster-ip-range=${L.serviceCidr}`,
        `--client-ca-file=${pki.caCert}`,
        `--tls-cert-file=${apiserver.cert}`,
        `--tls-private-key-file=${apiserver.key}`,
        `--kubelet-client-certificate=${kubeletClient.cert}`,
        `--kubelet-client-key=${kubeletClient.key}`,
        '--kubelet-preferred-address-types=InternalIP',
        `--service-account-issuer=https://kubernetes.default.svc.${L.clusterDomain}`,
        `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        '--authorization-mode=Node,RBAC',
        // Added to the default admission plugins, as kubeadm does.
        '--enable-admission-plugins=NodeRestriction',
        '--allow-privileged=true',
        // The aggregation layer (KEDA's metrics API server registers an APIService).
        `--requestheader-client-ca-file=${pki.frontProxyCaCert}`,
        '--requestheader-allowed-names=front-proxy-client',
        '--requestheader-username-headers=X-Remote-User',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        `--proxy-client-cert-file=${frontProxy.cert}`,
        `--proxy-client-key-file=${frontProxy.key}`,
        '--enable-aggregator-routing=true',
        `--etcd-compaction-interval=${options.etcdCompactionIntervalSeconds ?? 300}s`,
        '--profiling=false',
        ...(options.extraApiserverArgs ?? []),
      ],
    },
    controllerManager: {
      command: bins.kubeControllerManager,
      args: [
        ...controlPlaneAuth(files.kubeconfig('controller-manager')),
        `--secure-port=${ports.controllerManager}`,
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.caCert}`,
        `--cluster-signing-cert-file=${pki.caCert}`,
        `--cluster-signing-key-file=${pki.caKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--requestheader-client-ca-file=${pki.frontProxyCaCert}`,
        '--use-service-account-credentials=true',
        `--service-cluster-ip-range=${L.serviceCidr}`,
        '--profiling=false',
      ],
    },
    scheduler: {
      command: bins.kubeScheduler,
      args: [
        ...controlPlaneAuth(files.kubeconfig('scheduler')),
        `--secure-port=${ports.scheduler}`,
        '--profiling=false',
      ],
    },
    containerd: {
      command: bins.containerd,
      args: [`--config=${files.containerdConfig}`, '--log-level=warn'],
    },
    kubelet: {
      command: bins.kubelet,
      args: [
        `--config=${files.kubeletConfig}`,
        `--kubeconfig=${files.kubeconfig('kubelet')}`,
        `--root-dir=${files.kubeletRoot}`,
        `--hostname-override=${L.nodeName}`,
        `--node-ip=${L.bridgeIp}`,
        '--v=1',
      ],
    },
    kubeProxy: { command: bins.kubeProxy, args: [`--config=${files.kubeProxyConfig}`] },
    // Only kube-router's firewall (NetworkPolicy through iptables + ipset, as k3s embeds it): the
    // bridge routes the pods and kube-proxy the Services. Its health and metrics servers stay off
    // (they would need ports of their own); start-up waits for its chains instead. It watches pods,
    // namespaces, policies, nodes and Services as the admin, like the rest of this throwaway node.
    kubeRouter: {
      command: bins.kubeRouter,
      args: [
        `--kubeconfig=${files.adminKubeconfig}`,
        `--hostname-override=${L.nodeName}`,
        '--run-firewall=true',
        '--run-router=false',
        '--run-service-proxy=false',
        '--run-loadbalancer=false',
        `--service-cluster-ip-range=${L.serviceCidr}`,
        '--health-port=0',
        '--metrics-port=0',
      ],
    },
  };
}
