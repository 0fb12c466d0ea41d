/**
 * The baseline: a straight re-implementation of KEDA's selenium-grid scaler count
 * (getCountFromSeleniumResponse, pkg/scalers/selenium_grid_scaler.go) for the benchmark ratio only,
 * defects included. Like KEDA it takes the raw response body, re-parses each node's stereotypes
 * JSON for every request it tries to place, and scans its reserved-node lists linearly.
 */
import { platformOf, platformsMatch } from '../src/platform-of.ts';
import { goFoldKey } from './go-fold-key.ts';

export interface KedaTrigger {
  browserName: string;
  sessionBrowserName: string;
  browserVersion: string;
  platformName: string;
  nodeMaxSessions: number;
  enableManagedDownloads: boolean;
  capabilities: Record<string, unknown>;
}

export function kedaCount(body: string, t: KedaTrigger): { newNodes: number; ongoing: number } {
  const response = JSON.parse(body) as _Response;
  const caps: Record<string, unknown> = { ...t.capabilities };
  if (t.enableManagedDownloads) caps['se:downloadsEnabled'] = true;
  const queue = response.data.sessionsInfo.sessionQueueRequests;
  const nodes = response.data.nodesInfo.nodes;
  const reserved: _Reserved[] = [];
  const newNodes: _Reserved[] = [];
  for (let index = 0; index < queue.length; index++) {
    let matched = false;
    try {
      matched = _requestMatches(JSON.parse(queue[index]!), t, caps);
    } catch {}
    let placed = false;
    for (const node of nodes) {
      if (
        matched &&
        node.status.toUpperCase() === 'UP' &&
        _slotsLeft(reserved, node.id, node.maxSession - node.sessionCount) > 0
      ) {
        let matchingSlots = 0;
        try {
          for (const s of JSON.parse(node.stereotypes) as Array<{
            slots: number;
            stereotype: Record<string, unknown>;
          }>) {
            if (_stereotypeMatches(s.stereotype, t, caps)) matchingSlots += s.slots;
          }
        } catch {}
        if (matchingSlots === 0) continue;
        const sessions = _matchingSessions(node.sessions, t, caps);
        const left = _slotsLeft(reserved, node.id, node.maxSession - node.sessionCount);
        if (matchingSlots > sessions) {
          _updateOrAdd(reserved, node.id, left - 1);
          placed = true;
          break;
        }
      }
    }
    if (matched && !placed) {
      for (const n of newNodes) {
        if (n.slots > 0) {
          n.slots -= 1;
          placed = true;
          break;
        }
      }
    }
    // Defect a: the new node's id is the queue index as a character (Go's string(rune(i))),
    // compared with strings.EqualFold, so ids collide.
    if (matched && !placed) _updateOrAdd(newNodes, _goRuneString(index), t.nodeMaxSessions - 1);
  }
  let ongoing = 0;
  for (const node of nodes) ongoing += _matchingSessions(node.sessions, t, caps);
  return { newNodes: newNodes.length, ongoing };
}

// --- internal ---

interface _Response {
  data: {
    nodesInfo: {
      nodes: Array<{
        id: string;
        status: string;
        maxSession: number;
        sessionCount: number;
        stereotypes: string;
        sessions: Array<{ slot: { stereotype: string } }>;
      }>;
    };
    sessionsInfo: { sessionQueueRequests: string[] };
  };
}

interface _Reserved {
  /** goFoldKey of the id: KEDA compares ids with strings.EqualFold. */
  key: string;
  slots: number;
}

/** Go's string(rune(i)): surrogate code points become U+FFFD. */
function _goRuneString(i: number): string {
  return i >= 0xd800 && i <= 0xdfff ? '\ufffd' : String.fromCodePoint(i);
}

function _slotsLeft(list: _Reserved[], id: string, fallback: number): number {
  const key = goFoldKey(id);
  for (const r of list) if (r.key === key) return r.slots;
  return fallback;
}

function _updateOrAdd(list: _Reserved[], id: string, slots: number): void {
  const key = goFoldKey(id);
  for (const r of list) {
    if (r.key === key) {
      r.slots = slots;
      return;
    }
  }
  list.push({ key, slots });
}

function _matchingSessions(
  sessions: Array<{ slot: { stereotype: string } }>,
  t: KedaTrigger,
  caps: Record<string, unknown>,
): number {
  let n = 0;
  for (const s of sessions) {
    try {
      if (_stereotypeMatches(JSON.parse(s.slot.stereotype), t, caps)) n++;
    } catch {}
  }
  return n;
}

const _str = (c: Record<string, unknown>, k: string) => (c[k] === undefined ? '' : (c[k] as string));

function _common(
  c: Record<string, unknown>,
  t: KedaTrigger,
  caps: Record<string, unknown>,
  names: string[],
): boolean {
  const name = _str(c, 'browserName');
  const nameOk =
    (name === '' && t.browserName === '') || names.some((n) => n.toLowerCase() === name.toLowerCase());
  const version = _str(c, 'browserVersion');
  const versionOk =
    (version === '' && t.browserVersion === '') || (version !== '' && t.browserVersion.startsWith(version));
  const platformOk = platformsMatch(platformOf(t.platformName), platformOf(_str(c, 'platformName')));
  const downloadsOk = c['se:downloadsEnabled'] !== true || caps['se:downloadsEnabled'] === true;
  const extraOk = Object.entries(caps).every(
    ([k, v]) =>
      k === 'se:downloadsEnabled' ||
      ['goog:', 'moz:', 'ms:', 'se:'].some((p) => k.startsWith(p)) ||
      c[k] === v,
  );
  return nameOk && versionOk && platformOk && downloadsOk && extraOk;
}

function _requestMatches(c: Record<string, unknown>, t: KedaTrigger, caps: Record<string, unknown>): boolean {
  return _common(c, t, caps, [t.browserName]);
}

function _stereotypeMatches(
  c: Record<string, unknown>,
  t: KedaTrigger,
  caps: Record<string, unknown>,
): boolean {
  return _common(c, t, caps, [t.browserName, t.sessionBrowserName]);
}
