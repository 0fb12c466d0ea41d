/**
 * The fixed addresses of the local cluster. The node's bridge carries the pod network and the
 * API server's address: pods reach the API server (through the kubernetes Service) at the
 * bridge's own IP, which only this machine can reach.
 */
export const clusterLayout = {
  nodeName: 'scrapegrid-node',
  bridgeName: 'sgcluster0',
  /** The CNI network name: it tags the iptables rules the bridge plugin adds. */
  cniNetworkName: 'scrapegrid-pods',
  podCidr: '10.244.0.0/16',
  bridgeIp: '10.244.0.1',
  bridgePrefix: 16,
  serviceCidr: '10.96.0.0/16',
  kubernetesServiceIp: '10.96.0.1',
  dnsServiceIp: '10.96.0.10',
  clusterDomain: 'cluster.local',
  /** The image every pod sandbox runs (built here from Kubernetes' own pause.c). */
  pauseImage: 'registry.k8s.io/pause:3.10.2',
  corednsImage: 'localhost/scrapegrid/coredns:cluster',
  /** A small shell image for test pods: Debian's static busybox on an empty base. */
  busyboxImage: 'localhost/scrapegrid/busybox:cluster',
} as const;
