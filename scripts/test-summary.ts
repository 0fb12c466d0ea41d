// Sums every workspace package's vitest JSON report into the one closing line CI reads:
// "N passed, N failed" (", N skipped" when any were skipped). Exits 1 when a report is missing
// for a package that has tests, so a package whose test run died does not pass silently.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numFailedTestSuites: number;
  numPendingTests: number;
  numTodoTests: number;
}

const root = join(import.meta.dirname, '..');
const packageDirs = [
  ...readdirSync(join(root, 'packages')).map((name) => join('packages', name)),
  'k8s',
  'images',
].filter((dir) => existsSync(join(root, dir, 'package.json')));

let passed = 0;
let failed = 0;
let skipped = 0;
const missing: string[] = [];
// A report cut short (the run killed mid-write, a full disk) says nothing: it fails the summary.
const unreadable: string[] = [];
function readReport(path: string): VitestReport | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as VitestReport;
  } catch {
    return undefined;
  }
}
for (const dir of packageDirs) {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  if (!pkg.scripts?.test) continue;
  const reportPath = join(root, dir, '.vitest-report.json');
  if (!existsSync(reportPath)) {
    missing.push(dir);
    continue;
  }
  const report = readReport(reportPath);
  if (report === undefined) {
    unreadable.push(dir);
    continue;
  }
  // A test file that fails outside its tests (an import, a beforeAll) fails no test by itself
  // and skips the rest: count such a file as one failure so the line cannot read "0 failed".
  const packageFailed = Math.max(report.numFailedTests, report.numFailedTestSuites);
  passed += report.numPassedTests;
  failed += packageFailed;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`  ${dir}: ${report.numPassedTests} passed, ${packageFailed} failed`);
}
if (missing.length > 0)
  console.log(`  no test report from: ${missing.join(', ')} (their test run did not finish)`);
if (unreadable.length > 0)
  console.log(`  unreadable test report from: ${unreadable.join(', ')} (cut short or not JSON)`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exitCode = missing.length > 0 || unreadable.length > 0 || failed > 0 ? 1 : 0;
