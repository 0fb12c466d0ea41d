export { type BrowserBinaries, browserBinaries, seleniumJarPath } from './browser-binaries.ts';
export { type ApiResponse, apiGetWithToken } from './cluster/api-get-with-token.ts';
export { buildahImageArchive, ImageNotBuilt } from './cluster/buildah-image-archive.ts';
export {
  CLUSTER_RUNS_DIR,
  KubectlFailed,
  type KubectlResult,
  type LocalCluster,
  type LocalClusterOptions,
  startLocalCluster,
} from './cluster/cluster.ts';
export {
  type ClusterBinaries,
  ClusterBuildMissing,
  clusterBinaries,
  clusterCacheRoot,
} from './cluster/cluster-binaries.ts';
export { writeSysctls } from './cluster/cluster-host-state.ts';
export { clusterLayout } from './cluster/cluster-layout.ts';
export { acquireClusterLock, CLUSTER_LOCK_PATH, ClusterLockBusy } from './cluster/cluster-lock.ts';
export { type SweepReport, sweepCluster } from './cluster/cluster-sweep.ts';
export { type EmbulkInstallation, installEmbulk } from './embulk.ts';
export { type Product, product, productsOnPage } from './fixture-site/catalogue.ts';
export {
  QUOTE_COUNT,
  type Quote,
  type QuoteAuthor,
  quote,
  quoteAuthors,
  quotesOnPage,
} from './fixture-site/quotes.ts';
export { type FixtureSite, type FixtureSiteOptions, startFixtureSite } from './fixture-site/server.ts';
export { freePort } from './free-port.ts';
export {
  type Grid,
  type GridNode,
  type GridOptions,
  type NodeExitReport,
  type NodeOptions,
  startGrid,
} from './grid.ts';
export {
  type CommandLine,
  type EventBusPorts,
  type HubCommandOptions,
  hubCommandLine,
  type NodeCommandOptions,
  nodeCommandLine,
  nodeToml,
} from './grid-command-lines.ts';
export { type ExternalMetric, readExternalMetric } from './keda/external-metric.ts';
export { type InstallKedaOptions, installKeda, type Keda, type KedaCluster } from './keda/install-keda.ts';
export { type KedaBuild, KedaBuildMissing, type KedaImage, kedaBuild } from './keda/keda-build.ts';
export { parseQuantity } from './keda/parse-quantity.ts';
export {
  type ContainerState,
  type DoublePod,
  type KubeApiDouble,
  type KubeApiDoubleOptions,
  type KubeApiDoubleRequest,
  type KubeVerb,
  startKubeApiDouble,
} from './kube-api-double.ts';
export {
  findLeftoverProcesses,
  findMarkedProcesses,
  type LeftoverProcess,
  type MarkedProcess,
} from './leftover-processes.ts';
export { type Postgres, type PostgresOptions, startPostgres } from './postgres.ts';
export {
  currentRunId,
  type ProcessExit,
  SPAWN_MARKER_ENV,
  type SpawnTrackedOptions,
  spawnTracked,
  stopAllTracked,
  type TrackedProcess,
} from './tracked-process.ts';
export {
  GiveUpWaiting,
  type WaitClock,
  type WaitOptions,
  WaitTimeoutError,
  waitUntil,
} from './wait-until.ts';
