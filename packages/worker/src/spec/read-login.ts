import type { LoginSpec } from './job-spec.ts';
import { readActions, readWait } from './read-actions.ts';
import { readLocator } from './read-locator.ts';
import { checkHttpUrl } from './read-start.ts';
import { SPEC_DEFAULTS } from './spec-defaults.ts';
import type { SpecNode } from './spec-node.ts';

/**
 * `login: {url, wait, actions, success: {for, urlContains}, timeoutMs}`: run once per browser
 * session. `success` is required: a login that silently failed would read every page logged out.
 */
export function readLogin(
  node: SpecNode,
  env: Readonly<Record<string, string | undefined>>,
): LoginSpec | undefined {
  if (node.missing) return undefined;
  if (node.keys(['url', 'wait', 'actions', 'success', 'timeoutMs']) === undefined) return undefined;
  const before = node.context.issues.length;
  const urlNode = node.get('url');
  const url = urlNode.require() ? checkHttpUrl(urlNode, urlNode.string()) : undefined;
  const wait = readWait(node.get('wait'));
  const actionsNode = node.get('actions');
  const actions = actionsNode.require() ? readActions(actionsNode, env) : [];
  if (
    !actionsNode.missing &&
    actionsNode.isSeq &&
    actions.length === 0 &&
    node.context.issues.length === before
  )
    actionsNode.issue('must list at least one action (fill, click…)');
  const success = readSuccess(node.get('success'));
  const timeoutMs = node.get('timeoutMs').integer({ min: 1 }) ?? SPEC_DEFAULTS.loginTimeoutMs;
  if (node.context.issues.length > before || url === undefined || wait === undefined || !success)
    return undefined;
  return { url, wait, actions, success, timeoutMs };
}

// --- internal ---

function readSuccess(node: SpecNode): LoginSpec['success'] | undefined {
  if (node.missing)
    return node.issue(
      'is required: an element (for) or a URL part (urlContains) that shows the login worked',
    );
  const keys = node.keys(['for', 'urlContains']);
  if (keys === undefined) return undefined;
  if (keys.length === 0) return node.issue('must have for (an element) or urlContains (a URL part)');
  const target = readLocator(node.get('for'));
  const urlContains = node.get('urlContains').string();
  if ((keys.includes('for') && !target) || (keys.includes('urlContains') && urlContains === undefined))
    return undefined;
  return { ...(target ? { for: target } : {}), ...(urlContains === undefined ? {} : { urlContains }) };
}
