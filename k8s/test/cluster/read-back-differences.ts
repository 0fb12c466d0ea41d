import type { K8sObject } from '../k8s-object.ts';

/**
 * Where an object read back from the API server differs from what was rendered: every field we
 * wrote must come back with the same value (the server may add defaults and status, never change
 * or drop ours). A Secret's stringData is stored as base64 data, so it is compared there.
 * Returns the differing paths, empty when the server kept everything.
 */
export function readBackDifferences(rendered: K8sObject, actual: K8sObject): string[] {
  const expected: K8sObject = structuredClone(rendered);
  if (expected.kind === 'Secret' && expected.stringData) {
    expected.data = { ...(expected.data ?? {}) };
    for (const [key, value] of Object.entries(expected.stringData as Record<string, string>))
      expected.data[key] = Buffer.from(value).toString('base64');
    delete expected.stringData;
  }
  const differences: string[] = [];
  compare(expected, actual, '', differences);
  return differences;
}

function compare(expected: unknown, actual: unknown, path: string, out: string[]): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      return;
    }
    for (const [i, item] of expected.entries()) compare(item, actual[i], `${path}[${i}]`, out);
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      out.push(`${path}: expected an object, got ${JSON.stringify(actual)}`);
      return;
    }
    for (const [key, value] of Object.entries(expected))
      compare(value, (actual as Record<string, unknown>)[key], `${path}.${key}`, out);
    return;
  }
  // Quantities and ports may be written as numbers and read back as strings ("2" for 2).
  if (expected !== actual && String(expected) !== String(actual))
    out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
