export { type ApiResponse, apiGetWithToken } from './api-get-with-token.ts';
export { type AttachedCluster, attachLocalCluster, NotALocalCluster } from './attach-local-cluster.ts';
export { buildahImageArchive, ImageNotBuilt } from './buildah-image-archive.ts';
export { cacheRoot } from './cache-root.ts';
export {
  CLUSTER_RUNS_DIR,
  type LocalCluster,
  type LocalClusterOptions,
  startLocalCluster,
} from './cluster.ts';
export { type ClusterBinaries, ClusterBuildMissing, clusterBinaries } from './cluster-binaries.ts';
export { writeSysctls } from './cluster-host-state.ts';
export { type ClusterImage, clusterImages, UnknownClusterImage } from './cluster-images.ts';
export { clusterLayout } from './cluster-layout.ts';
export { acquireClusterLock, CLUSTER_LOCK_PATH, ClusterLockBusy } from './cluster-lock.ts';
export { type SweepReport, sweepCluster } from './cluster-sweep.ts';
export { exportImage } from './export-image.ts';
export { goModVersion } from './go-mod-version.ts';
export { importClusterImages } from './import-cluster-images.ts';
export { type ExternalMetric, readExternalMetric } from './keda/external-metric.ts';
export { type InstallKedaOptions, installKeda, type Keda, type KedaCluster } from './keda/install-keda.ts';
export { type KedaBuild, KedaBuildMissing, type KedaImage, kedaBuild } from './keda/keda-build.ts';
export { parseQuantity } from './keda/parse-quantity.ts';
export {
  type KubectlClient,
  KubectlFailed,
  type KubectlOptions,
  type KubectlResult,
  kubectlClient,
} from './kubectl-client.ts';
export { listenPorts, NoListenPorts } from './listen-ports.ts';
export { LOCAL_VOLUMES, prepareLocalVolumes } from './local-volumes.ts';
export { OVERLAY_IMAGES, type OverlayImage, SELENIUM_TAG } from './overlay-images.ts';
