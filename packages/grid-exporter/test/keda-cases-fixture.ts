import { readFileSync } from 'node:fs';

/** One of KEDA's own selenium-grid scaler test cases (test-fixtures/keda-selenium-grid-cases.json). */
export interface KedaCase {
  name: string;
  response: { data?: unknown } | null;
  browserName: string;
  sessionBrowserName: string;
  browserVersion: string;
  platformName: string;
  nodeMaxSessions: number;
  enableManagedDownloads: boolean;
  capabilities: string;
  expectedNewRequestNodes: number;
  expectedOnGoingSessions: number;
  expectedCount: number;
  expectedError: boolean;
}

/** KEDA's 52 cases, read once per test file that asks. */
export function loadKedaCases(): KedaCase[] {
  const url = new URL('../test-fixtures/keda-selenium-grid-cases.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: KedaCase[] }).cases;
}
