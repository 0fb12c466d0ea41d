import type { KedaTrigger } from '@scrapegrid/grid-exporter/keda-baseline';

/**
 * The selenium-grid trigger metadata of a rendered ScaledObject as KEDA's parser reads it
 * (parseSeleniumGridScalerMetadata: nodeMaxSessions 1, enableManagedDownloads true and
 * sessionBrowserName = browserName when unset), for the re-implementation's prediction.
 */
export function kedaTriggerOf(metadata: Record<string, string>): KedaTrigger {
  const browserName = metadata.browserName ?? '';
  return {
    browserName,
    sessionBrowserName: metadata.sessionBrowserName || browserName,
    browserVersion: metadata.browserVersion ?? '',
    platformName: metadata.platformName ?? '',
    nodeMaxSessions: Number(metadata.nodeMaxSessions ?? '1'),
    enableManagedDownloads: (metadata.enableManagedDownloads ?? 'true') === 'true',
    capabilities: metadata.capabilities ? (JSON.parse(metadata.capabilities) as Record<string, unknown>) : {},
  };
}
