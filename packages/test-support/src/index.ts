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
export { type ExternalMetric, readExternalMetric } from './keda/external-metric.ts';
export { type InstallKedaOptions, installKeda, type Keda, type KedaCluster } from './keda/install-keda.ts';
export { type KedaBuild, KedaBuildMissing, type KedaImage, kedaBuild } from './keda/keda-build.ts';
export { parseQuantity } from './keda/parse-quantity.ts';
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
export { GiveUpWaiting, type WaitOptions, WaitTimeoutError, waitUntil } from './wait-until.ts';
