import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterBinaries } from './cluster-binaries.ts';
import { clusterLayout as L } from './cluster-layout.ts';
import type { ClusterCertName, ClusterPki } from './cluster-pki.ts';

export interface ClusterPorts {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kubelet: number;
  kubeletHealthz: number;
  kubeProxyHealthz: number;
  kubeProxyMetrics: number;
}

export interface ClusterFiles {
  readonly apiserverUrl: string;
  readonly adminKubeconfig: string;
  kubeconfig(name: ClusterCertName): string;
  readonly kubeletConfig: string;
  readonly kubeProxyConfig: string;
  readonly containerdConfig: string;
  readonly containerdSocket: string;
  readonly containerdRoot: string;
  readonly containerdState: string;
  readonly cniConfDir: string;
  readonly kubeletRoot: string;
  readonly podLogsDir: string;
  readonly etcdDataDir: string;
}

/** Writes every component's configuration under runDir; the paths it returns are what the processes get. */
export async function writeClusterFiles(
  runDir: string,
  pki: ClusterPki,
  ports: ClusterPorts,
  bins: ClusterBinaries,
): Promise<ClusterFiles> {
  const dir = (...parts: string[]) => join(runDir, ...parts);
  for (const d of [
    'kubeconfig',
    'config',
    'cni/net.d',
    'cni/ipam',
    'containerd/root',
    'containerd/state',
    'kubelet',
    'pod-logs',
    'etcd',
  ])
    await mkdir(dir(d), { recursive: true });
  const apiserverUrl = `https://${L.bridgeIp}:${ports.apiserver}`;

  const kubeconfigPath = (name: ClusterCertName) => dir('kubeconfig', `${name}.kubeconfig`);
  const writeKubeconfig = async (name: ClusterCertName) => {
    const { cert, key } = pki.pair(name);
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'scrapegrid-local', cluster: { server: apiserverUrl, 'certificate-authority': pki.caCert } },
      ],
      users: [{ name, user: { 'client-certificate': cert, 'client-key': key } }],
      contexts: [{ name: 'scrapegrid-local', context: { cluster: 'scrapegrid-local', user: name } }],
      'current-context': 'scrapegrid-local',
    };
    await writeFile(kubeconfigPath(name), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  };
  await Promise.all(
    (['admin', 'controller-manager', 'scheduler', 'kubelet', 'kube-proxy'] as const).map(writeKubeconfig),
  );

  const containerdSocket = dir('containerd', 'containerd.sock');
  const kubeletServing = pki.pair('kubelet-serving');
  const kubeletConfig = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // These machines have cgroup v1 only; Kubernetes >= 1.35 refuses it unless told otherwise.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    address: L.bridgeIp,
    port: ports.kubelet,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: ports.kubeletHealthz,
    tlsCertFile: kubeletServing.cert,
    tlsPrivateKeyFile: kubeletServing.key,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: pki.caCert },
    },
    authorization: { mode: 'Webhook' },
    clusterDNS: [L.dnsServiceIp],
    clusterDomain: L.clusterDomain,
    resolvConf: '/etc/resolv.conf',
    failSwapOn: false,
    containerRuntimeEndpoint: `unix://${containerdSocket}`,
    podLogsDir: dir('pod-logs'),
    // A disposable cluster on a shared disk: never evict for disk, never collect images we imported.
    evictionHard: {
      'memory.available': '100Mi',
      'nodefs.available': '1%',
      'imagefs.available': '1%',
      'nodefs.inodesFree': '1%',
    },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    serializeImagePulls: false,
    enforceNodeAllocatable: ['pods'],
    // Seconds, not minutes, from a pod's change to its status: tests wait on these.
    nodeStatusUpdateFrequency: '4s',
    syncFrequency: '10s',
    fileCheckFrequency: '10s',
    maxPods: 110,
  };
  const kubeletConfigPath = dir('config', 'kubelet.yaml');
  await writeFile(kubeletConfigPath, `${JSON.stringify(kubeletConfig, null, 2)}\n`);

  const kubeProxyConfig = {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig: kubeconfigPath('kube-proxy') },
    mode: 'iptables',
    clusterCIDR: L.podCidr,
    hostnameOverride: L.nodeName,
    healthzBindAddress: `127.0.0.1:${ports.kubeProxyHealthz}`,
    metricsBindAddress: `127.0.0.1:${ports.kubeProxyMetrics}`,
    // Zeroes leave the host's conntrack sysctls alone (they are global).
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
    // NodePorts only on the bridge address, never on the machine's real interface.
    nodePortAddresses: [`${L.bridgeIp}/32`],
  };
  const kubeProxyConfigPath = dir('config', 'kube-proxy.yaml');
  await writeFile(kubeProxyConfigPath, `${JSON.stringify(kubeProxyConfig, null, 2)}\n`);

  const containerdRoot = dir('containerd', 'root');
  const containerdState = dir('containerd', 'state');
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  const containerdToml = `version = 2
root = "${containerdRoot}"
state = "${containerdState}"
# Snapshotters that cannot work here only log errors at start.
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "${containerdSocket}"
[ttrpc]
  address = "${containerdSocket}.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[${cri}]
  sandbox_image = "${L.pauseImage}"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  # These machines lack CAP_SYS_RESOURCE, which lowering a process's oom_score_adj needs: the pod
  # sandbox (-998) and Guaranteed containers (-997) would fail in runc's init ("can't get final
  # child's PID from pipe"). Clamp to containerd's own score instead, as rootless setups do.
  restrict_oom_score_adj = true
  # Pod network namespaces under our state directory, so stopping the cluster finds every one.
  netns_mounts_under_state_dir = true
  # Nothing can be pulled here: every image is imported (ctr images import) before it is used.
  [${cri}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [${cri}.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [${cri}.containerd.runtimes.runc.options]
        BinaryName = "${bins.runc}"
        SystemdCgroup = false
  [${cri}.cni]
    bin_dir = "${bins.cniBinDir}"
    conf_dir = "${dir('cni', 'net.d')}"
    max_conf_num = 1
`;
  const containerdConfigPath = dir('config', 'containerd.toml');
  await writeFile(containerdConfigPath, containerdToml);

  const cni = {
    cniVersion: '0.4.0',
    name: L.cniNetworkName,
    plugins: [
      {
        type: 'bridge',
        bridge: L.bridgeName,
        isGateway: true,
        ipMasq: true,
        // A pod reaching a Service that leads back to itself.
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          dataDir: dir('cni', 'ipam'),
          ranges: [[{ subnet: L.podCidr, gateway: L.bridgeIp }]],
          routes: [{ dst: '0.0.0.0/0' }],
        },
      },
    ],
  };
  await writeFile(dir('cni', 'net.d', '10-scrapegrid.conflist'), `${JSON.stringify(cni, null, 2)}\n`);

  return {
    apiserverUrl,
    adminKubeconfig: kubeconfigPath('admin'),
    kubeconfig: kubeconfigPath,
    kubeletConfig: kubeletConfigPath,
    kubeProxyConfig: kubeProxyConfigPath,
    containerdConfig: containerdConfigPath,
    containerdSocket,
    containerdRoot,
    containerdState,
    cniConfDir: dir('cni', 'net.d'),
    kubeletRoot: dir('kubelet'),
    podLogsDir: dir('pod-logs'),
    etcdDataDir: dir('etcd'),
  };
}
