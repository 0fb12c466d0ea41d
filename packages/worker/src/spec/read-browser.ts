import type { BrowserSpec } from './job-spec.ts';
import { checkHttpUrl } from './read-start.ts';
import { SPEC_DEFAULTS } from './spec-defaults.ts';
import type { SpecNode } from './spec-node.ts';

/**
 * `browser: {gridUrl, readyTimeoutMs, waitFor, capabilities: {browserName, platformName, browserVersion,
 * arguments, <vendor:options>…}}` → W3C capabilities. `arguments` goes into the browser's own
 * options key, so users need not know `goog:chromeOptions` from `moz:firefoxOptions`.
 */
export function readBrowser(node: SpecNode): BrowserSpec | undefined {
  const defaults = SPEC_DEFAULTS.browser;
  if (node.missing) return { ...defaults, capabilities: { ...defaults.capabilities } };
  if (
    node.keys(['gridUrl', 'capabilities', 'readyTimeoutMs', 'waitFor', 'userAgent', 'windowSize']) ===
    undefined
  )
    return undefined;
  const gridNode = node.get('gridUrl');
  const gridUrl = gridNode.missing ? defaults.gridUrl : checkHttpUrl(gridNode, gridNode.string());
  const readyTimeoutMs = node.get('readyTimeoutMs').integer({ min: 1 }) ?? defaults.readyTimeoutMs;
  const waitForNode = node.get('waitFor');
  const waitFor = waitForNode.missing ? defaults.waitFor : waitForNode.string();
  if (waitFor !== undefined && waitFor !== 'node' && waitFor !== 'hub')
    waitForNode.issue("must be 'node' or 'hub'");
  const userAgentNode = node.get('userAgent');
  const userAgent = userAgentNode.string();
  if (userAgent !== undefined && /[\r\n]/.test(userAgent)) userAgentNode.issue('must be one line');
  const windowSize = readWindowSize(node.get('windowSize'));
  const capabilities = readCapabilities(node.get('capabilities'));
  if (gridUrl === undefined || capabilities === undefined) return undefined;
  if ((!userAgentNode.missing && userAgent === undefined) || windowSize === null) return undefined;
  if (waitFor !== 'node' && waitFor !== 'hub') return undefined;
  return {
    gridUrl,
    capabilities,
    readyTimeoutMs,
    waitFor,
    ...(userAgent === undefined ? {} : { userAgent }),
    ...(windowSize === undefined ? {} : { windowSize }),
  };
}

// --- internal ---

/** undefined: not set; null: wrong (an issue was recorded). */
function readWindowSize(node: SpecNode): { width: number; height: number } | null | undefined {
  if (node.missing) return undefined;
  const keys = node.keys(['width', 'height']);
  if (keys === undefined) return null;
  const width = node.get('width').require() ? node.get('width').integer({ min: 200, max: 7680 }) : undefined;
  const height = node.get('height').require()
    ? node.get('height').integer({ min: 200, max: 4320 })
    : undefined;
  return width === undefined || height === undefined ? null : { width, height };
}

const ARGUMENTS_KEY: Record<string, string> = {
  chrome: 'goog:chromeOptions',
  firefox: 'moz:firefoxOptions',
  MicrosoftEdge: 'ms:edgeOptions',
};

function readCapabilities(node: SpecNode): Record<string, unknown> | undefined {
  if (node.missing) return { ...SPEC_DEFAULTS.browser.capabilities };
  const entries = node.entries();
  if (entries === undefined) return undefined;
  const capabilities: Record<string, unknown> = {};
  const before = node.context.issues.length;
  for (const [key, value] of entries) {
    if (key === 'browserName' || key === 'platformName' || key === 'browserVersion') {
      const text = value.string();
      if (text !== undefined) capabilities[key] = text;
    } else if (key === 'version') {
      value.issue('write browserVersion (the W3C name)');
    } else if (key === 'arguments') {
      // handled below, once browserName is known
    } else if (key.includes(':')) {
      capabilities[key] = value.toJS();
    } else {
      value.issue(
        'unknown capability; expected browserName, platformName, browserVersion, arguments or a vendor key like goog:chromeOptions',
      );
    }
  }
  capabilities.browserName ??= SPEC_DEFAULTS.browser.capabilities.browserName;
  const argumentsNode = node.get('arguments');
  if (!argumentsNode.missing) {
    const args = (argumentsNode.items() ?? []).map((item) => item.string());
    const optionsKey = ARGUMENTS_KEY[capabilities.browserName as string];
    if (optionsKey === undefined) {
      argumentsNode.issue(
        `is only understood for ${Object.keys(ARGUMENTS_KEY).join(', ')}; use the vendor key`,
      );
    } else if (args.every((arg) => arg !== undefined)) {
      const options = (capabilities[optionsKey] ?? {}) as Record<string, unknown>;
      const existing = Array.isArray(options.args) ? options.args : [];
      capabilities[optionsKey] = { ...options, args: [...existing, ...args] };
    }
  }
  return node.context.issues.length > before ? undefined : capabilities;
}
