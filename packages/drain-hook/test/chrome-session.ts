import { Builder, type WebDriver } from 'selenium-webdriver';

/** A Chromium session through the hub. */
export function chromeSession(hubUrl: string): Promise<WebDriver> {
  return new Builder().usingServer(hubUrl).withCapabilities({ browserName: 'chrome' }).build();
}
