import type { ExporterMetrics } from './exporter-metrics.ts';
import type { GridPoller } from './grid-poller.ts';

/**
 * `grid-exporter once`: one poll, the exposition text on stdout. The text is printed even when the
 * Grid cannot be reached (with selenium_grid_up 0), and the exit code says whether the poll worked.
 */
export async function runOnce(
  poller: GridPoller,
  metrics: ExporterMetrics,
  out: NodeJS.WritableStream,
): Promise<0 | 1> {
  const snapshot = await poller.pollOnce();
  const text = await metrics.render();
  await new Promise<void>((resolve, reject) =>
    out.write(text, (error) => (error ? reject(error) : resolve())),
  );
  return snapshot.error === undefined ? 0 : 1;
}
