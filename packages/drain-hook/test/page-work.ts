import { By, until, type WebDriver } from 'selenium-webdriver';

export interface PageWorkReport {
  /** WebDriver commands that succeeded. */
  commands: number;
  pages: number;
}

/**
 * Scripted browsing for about `durationMs`: open listing pages of the fixture site, wait for the
 * JavaScript to render them, read every item. Throws on the first failed command.
 */
export async function doPageWork(
  driver: WebDriver,
  siteUrl: string,
  durationMs: number,
): Promise<PageWorkReport> {
  const until_ = performance.now() + durationMs;
  let commands = 0;
  let pages = 0;
  for (let page = 1; performance.now() < until_; page = (page % 20) + 1) {
    await driver.get(`${siteUrl}/products?page=${page}`);
    await driver.wait(until.elementLocated(By.css('body[data-ready="true"]')), 10_000);
    const titles = await driver.findElements(By.css('li.product a.title'));
    commands += 3;
    if (titles.length !== 10) throw new Error(`page ${page}: ${titles.length} items instead of 10`);
    await titles[0]!.getText();
    commands += 1;
    pages += 1;
  }
  return { commands, pages };
}
