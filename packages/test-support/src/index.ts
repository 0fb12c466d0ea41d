// The local cluster (its own package) and process tracking (process-group), re-exported so that
// tests importing them from here keep working; new code imports them from their packages.
export {
  clusterLayout,
  type LocalCluster,
  type LocalClusterOptions,
  startLocalCluster,
} from '@scrapegrid/local-cluster';
export {
  currentRunId,
  findLeftoverProcesses,
  findMarkedProcesses,
  GiveUpWaiting,
  type LeftoverProcess,
  type MarkedProcess,
  type ProcessExit,
  SPAWN_MARKER_ENV,
  type SpawnTrackedOptions,
  spawnTracked,
  stopAllTracked,
  type TrackedProcess,
  type WaitClock,
  type WaitOptions,
  WaitTimeoutError,
  waitUntil,
} from '@scrapegrid/process-group';
export { type BrowserBinaries, browserBinaries, seleniumJarPath } from './browser-binaries.ts';
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
export {
  type ContainerState,
  type DoublePod,
  type KubeApiDouble,
  type KubeApiDoubleOptions,
  type KubeApiDoubleRequest,
  type KubeVerb,
  startKubeApiDouble,
} from './kube-api-double.ts';
export { type Postgres, type PostgresOptions, startPostgres } from './postgres.ts';
