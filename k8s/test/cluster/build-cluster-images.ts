import { SELENIUM_TAG } from '@scrapegrid/local-cluster';

// The images a cluster test runs are built, exported and imported as `scripts/cluster.sh images`
// does it (@scrapegrid/local-cluster: clusterImages builds what is missing, then exports;
// importClusterImages). Each test file calls them itself, so no file depends on another having run
// first, and before startLocalCluster, so a cold build does not hold the one cluster lock.
export {
  type ClusterImage,
  clusterImages,
  importClusterImages,
  SELENIUM_TAG,
} from '@scrapegrid/local-cluster';

/** What the shared-Grid overlays (grid-keda, grid-keda-exporter) run: hub, Chrome nodes, exporter, pod-tools. */
export const SHARED_GRID_IMAGES = [
  `selenium/hub:${SELENIUM_TAG}`,
  `selenium/node-chrome:${SELENIUM_TAG}`,
  'scrapegrid/grid-exporter:0.1.0',
  'scrapegrid/pod-tools:0.1.0',
] as const;
