// Sums every workspace package's vitest JSON report into the one closing line CI reads:
// "N passed, N failed" (", N skipped" when any were skipped). Exits 1 when a report is missing
// for a package that has tests, so a package whose test run died does not pass silently.
// Above that line it names every failed test with the first lines of its error: CI's record keeps
// only the end of the log, and a failure far up in it was otherwise seen only as a count.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numFailedTestSuites: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults?: {
    name: string;
    status: string;
    message?: string;
    assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

const root = join(import.meta.dirname, '..');

/** Lines of an error worth reading in a CI summary: the first few, without the stack. */
const ERROR_LINES = 12;
function errorHead(message: string): string {
  const lines = message.split('\n').filter((line) => !/^\s+at /.test(line) && line.trim() !== '');
  return lines
    .slice(0, ERROR_LINES)
    .map((line) => `      ${line.slice(0, 400)}`)
    .join('\n');
}

/** Each failed test and each file failed outside its tests, as lines to print; and how many files. */
function failuresOf(dir: string, report: VitestReport): { lines: string[]; outsideTests: number } {
  const out: string[] = [];
  let outsideTests = 0;
  for (const file of report.testResults ?? []) {
    const where = relative(join(root, dir), file.name);
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failedTests)
      out.push(`    ${dir}/${where} > ${t.fullName}\n${errorHead((t.failureMessages ?? []).join('\n'))}`);
    // A file that failed outside its tests (an import, a beforeAll) carries its error here.
    if (file.status === 'failed' && failedTests.length === 0) {
      outsideTests++;
      out.push(`    ${dir}/${where} (outside its tests)\n${errorHead(file.message ?? '')}`);
    }
  }
  return { lines: out, outsideTests };
}

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
const failures: string[] = [];
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
  // and skips the rest: it counts as one failure, so the line cannot read "0 failed". (Vitest's
  // numFailedTestSuites counts every describe around a failed test too: one failed test in one
  // describe made it 2, which is why it is not used for the count.)
  const { lines, outsideTests } = failuresOf(dir, report);
  const packageFailed = report.numFailedTests + outsideTests || (report.numFailedTestSuites > 0 ? 1 : 0);
  failures.push(...lines);
  passed += report.numPassedTests;
  failed += packageFailed;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`  ${dir}: ${report.numPassedTests} passed, ${packageFailed} failed`);
}
if (failures.length > 0) console.log(`  failed:\n${failures.join('\n')}`);
if (missing.length > 0)
  console.log(`  no test report from: ${missing.join(', ')} (their test run did not finish)`);
if (unreadable.length > 0)
  console.log(`  unreadable test report from: ${unreadable.join(', ')} (cut short or not JSON)`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exitCode = missing.length > 0 || unreadable.length > 0 || failed > 0 ? 1 : 0;
