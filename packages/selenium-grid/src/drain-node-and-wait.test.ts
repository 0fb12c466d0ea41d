import { afterEach, describe, expect, test } from 'vitest';
import { createGridClient, type GridClient } from './create-grid-client.ts';
import { type DrainNodeDeps, drainNodeAndWait } from './drain-node-and-wait.ts';
import { fakeClock } from './fake-clock.test-helper.ts';
import { GridError } from './grid-error.ts';
import type { GridLog } from './grid-log.ts';
import { closedUrl, json, startStandIn } from './stand-in-grid.test-helper.ts';

// The drain's decisions against stand-in node and hub endpoints, on a fake clock: the cases a
// real Grid cannot be made to show on demand (a node stuck DRAINING and idle, a 401, a node that
// comes back UP). The real Grid's drain is in test-support's grid-client.integration.test.ts.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface NodeState {
  availability: 'UP' | 'DRAINING';
  sessions: number;
  drainStatus: number;
}

/** A stand-in node; `script(look)` may change its state before the look-th /status answer. */
async function standInNode(state: NodeState, script: (look: number, state: NodeState) => void = () => {}) {
  let looks = 0;
  const server = await startStandIn((req, res) => {
    if (req.path === '/se/grid/node/drain') {
      if (state.drainStatus === 200) state.availability = 'DRAINING';
      return res.writeHead(state.drainStatus).end();
    }
    script(++looks, state);
    const slots = Array.from({ length: 2 }, (_, i) => ({
      session: i < state.sessions ? { sessionId: `s${i}` } : null,
    }));
    json(res, 200, {
      value: { ready: false, node: { nodeId: 'node-1', availability: state.availability, slots } },
    });
  });
  return { server, client: _client(server.url) };
}

/** A stand-in hub that lists node-1 until its `dropAfter`-th /status answer. */
async function standInHub(dropAfter: number, drainValue = true) {
  let looks = 0;
  const server = await startStandIn((req, res) => {
    if (req.method === 'POST') return json(res, 200, { value: drainValue });
    const nodes = ++looks < dropAfter ? [{ id: 'node-1', availability: 'DRAINING', slots: [] }] : [];
    json(res, 200, { value: { ready: true, message: '', nodes } });
  });
  return { server, client: _client(server.url) };
}

describe('drainNodeAndWait', () => {
  test('nothing listening: already gone, at once', async () => {
    const log = recordingLog();
    const node = _client(await closedUrl());
    const clock = fakeClock();
    const outcome = await drainNodeAndWait({
      node,
      hub: undefined,
      deadlineAt: 20_000,
      pollMs: 200,
      log,
      clock,
    });
    expect(outcome).toEqual({ result: 'already-gone', nodeId: undefined, how: undefined });
    expect(log.steps()).toEqual(['already-gone']);
    expect(clock.slept).toEqual([]);
  });

  test('drained through the hub and locally; done when the hub drops the node', async () => {
    const node = await standInNode({ availability: 'UP', sessions: 1, drainStatus: 200 }, (look, state) => {
      if (look === 3) state.sessions = 0;
    });
    const hub = await standInHub(2);
    const log = recordingLog();
    const outcome = await drainNodeAndWait({
      node: node.client,
      hub: hub.client,
      deadlineAt: 20_000,
      pollMs: 200,
      log,
      clock: fakeClock(),
    });
    expect(outcome).toEqual({ result: 'drained', nodeId: 'node-1', how: 'drain-complete' });
    expect(hub.server.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /se/grid/distributor/node/node-1/drain',
      'GET /status',
      'GET /status',
    ]);
    expect(log.steps()).toEqual(['found', 'drain-requested', 'waiting', 'hub-dropped', 'done']);
    expect(log.lines.find((l) => l.step === 'drain-requested')).toMatchObject({
      level: 'info',
      nodeId: 'node-1',
      node: { outcome: 'accepted' },
      hub: { outcome: 'accepted' },
    });
  });

  test('a node stuck DRAINING with no session (docker-selenium#2654): released after 10 s on the clock', async () => {
    const node = await standInNode({ availability: 'DRAINING', sessions: 0, drainStatus: 200 });
    const clock = fakeClock();
    const log = recordingLog();
    const outcome = await _drain({ node: node.client, log, clock });
    expect(outcome.how).toBe('idle-but-stuck');
    expect(clock.slept).toEqual(Array(10).fill(1_000));
    expect(log.steps().at(-2)).toBe('node-idle');
  });

  test('deadline with a session running: GRID_DRAIN_DEADLINE with the count', async () => {
    const node = await standInNode({ availability: 'UP', sessions: 1, drainStatus: 200 });
    const clock = fakeClock();
    const error = await _drain({ node: node.client, deadlineAt: 1_000, pollMs: 300, clock }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GridError);
    expect(error).toMatchObject({
      code: 'GRID_DRAIN_DEADLINE',
      sessionsLeft: 1,
      message: 'deadline reached with 1 session(s) still running',
    });
    expect(clock.slept).toEqual([300, 300, 300, 100]);
  });

  test('refused by the node and the hub (a wrong secret): GRID_DRAIN_REFUSED at once, naming the setting', async () => {
    const node = await standInNode({ availability: 'UP', sessions: 0, drainStatus: 401 });
    const hub = await standInHub(99, false);
    const error = await _drain({ node: node.client, hub: hub.client }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'GRID_DRAIN_REFUSED',
      message:
        'the node refused to drain (node answered 401: SE_REGISTRATION_SECRET does not match the Grid); hub: hub answered value false (does it know this node?)',
    });
  });

  test('an idle node the hub dropped before its drain request (value false): info, not a warning', async () => {
    const node = await standInNode({ availability: 'UP', sessions: 0, drainStatus: 200 });
    const hub = await standInHub(1, false);
    const log = recordingLog();
    const outcome = await _drain({ node: node.client, hub: hub.client, log });
    expect(outcome).toEqual({ result: 'drained', nodeId: 'node-1', how: 'drain-complete' });
    expect(log.lines.find((l) => l.step === 'drain-requested')).toMatchObject({
      level: 'info',
      hub: { outcome: 'refused', detail: 'hub answered value false (does it know this node?)' },
      hubNoLongerListsNode: true,
    });
  });

  test('a hub that answers value false but still lists the node: a warning', async () => {
    const node = await standInNode({ availability: 'UP', sessions: 0, drainStatus: 200 });
    const hub = await standInHub(3, false);
    const log = recordingLog();
    await _drain({ node: node.client, hub: hub.client, log });
    const requested = log.lines.find((l) => l.step === 'drain-requested');
    expect(requested).toMatchObject({ level: 'warn', hub: { outcome: 'refused' } });
    expect(requested).not.toHaveProperty('hubNoLongerListsNode');
  });

  test('a node UP again (restarted on the same port) is asked to drain again', async () => {
    const state: NodeState = { availability: 'UP', sessions: 0, drainStatus: 200 };
    const node = await standInNode(state, (look, s) => {
      if (look === 2) s.availability = 'UP';
      if (look === 4) s.drainStatus = 500;
    });
    const log = recordingLog();
    const outcome = await _drain({ node: node.client, log });
    expect(outcome.how).toBe('idle-but-stuck');
    expect(node.server.seen.filter((s) => s.method === 'POST')).toHaveLength(2);
    expect(log.lines.find((l) => l.step === 'drain-repeated')).toMatchObject({
      level: 'warn',
      node: { outcome: 'accepted' },
    });
  });
});

// --- internal ---

/** The drain with this file's defaults: no hub, a 60 s deadline, 1 s polls, a fake clock. */
function _drain(deps: Partial<DrainNodeDeps> & Pick<DrainNodeDeps, 'node'>) {
  return drainNodeAndWait({
    hub: undefined,
    deadlineAt: 60_000,
    pollMs: 1_000,
    log: recordingLog(),
    clock: fakeClock(),
    ...deps,
  });
}

function _client(url: string): GridClient {
  const client = createGridClient({
    url,
    settingNames: { registrationSecret: 'SE_REGISTRATION_SECRET', auth: 'SE_ROUTER_USERNAME/PASSWORD' },
  });
  cleanups.push(client.close);
  return client;
}

type Line = { level: string; msg: string; step?: string; [key: string]: unknown };

function recordingLog(
  lines: Line[] = [],
  bindings: Record<string, unknown> = {},
): GridLog & {
  lines: Line[];
  steps(): unknown[];
} {
  const at =
    (level: string) =>
    (fields: object, msg: string): void => {
      lines.push({ level, msg, ...bindings, ...fields });
    };
  return {
    lines,
    steps: () => lines.map((l) => l.step),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => recordingLog(lines, { ...bindings, ...more }),
  };
}
