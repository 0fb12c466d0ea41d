import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WebDriver } from 'selenium-webdriver';

/**
 * Saves what the browser shows for a page that failed for good: a PNG screenshot and the HTML,
 * named after the page's URL, in `dir`. Best effort within a short deadline: the session may be
 * the reason the page failed. Returns the paths written, relative to `outputDir` (as the manifest
 * lists them): failures/<page>.png and failures/<page>.html.
 */
export async function saveFailureSnapshot(
  driver: WebDriver | undefined,
  url: string,
  outputDir: string,
  timeoutMs = 10_000,
): Promise<{ screenshot?: string; html?: string }> {
  if (!driver) return {};
  await mkdir(join(outputDir, 'failures'), { recursive: true });
  const base = join('failures', failureFileName(url));
  const saved: { screenshot?: string; html?: string } = {};
  const within = <T>(work: Promise<T>) =>
    Promise.race([work, new Promise<never>((_, reject) => setTimeout(reject, timeoutMs).unref())]);
  try {
    await writeFile(
      join(outputDir, `${base}.png`),
      Buffer.from(await within(driver.takeScreenshot()), 'base64'),
    );
    saved.screenshot = `${base}.png`;
  } catch {
    // No screenshot from a lost session; the failure is still recorded.
  }
  try {
    await writeFile(join(outputDir, `${base}.html`), await within(driver.getPageSource()));
    saved.html = `${base}.html`;
  } catch {
    // As above.
  }
  return saved;
}

/** A file name that says which page it is about: host and path, with unsafe characters replaced. */
export function failureFileName(url: string): string {
  const { host, pathname, search } = new URL(url);
  return `${host}${pathname}${search}`.replace(/[^\w.-]+/g, '_').slice(0, 180);
}
