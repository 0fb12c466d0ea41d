import { describe, expect, test } from 'vitest';
import { GridError } from './grid-error.ts';
import { parseGridStatus } from './parse-grid-status.ts';

// Shapes as a Grid 4.48 node and hub answer them (selenium-grid.md), trimmed.
const NODE = {
  value: {
    ready: false,
    message: 'Selenium Grid not ready.',
    registered: true,
    node: {
      nodeId: 'n-1',
      availability: 'DRAINING',
      externalUri: 'http://10.0.0.7:5555',
      maxSessions: 2,
      slots: [
        { id: { hostId: 'n-1', id: 's-1' }, session: { sessionId: 'abc' }, stereotype: {} },
        { id: { hostId: 'n-1', id: 's-2' }, session: null, stereotype: {} },
      ],
    },
  },
};
const HUB = {
  value: {
    ready: true,
    message: 'Selenium Grid ready.',
    nodes: [
      {
        id: 'n-1',
        uri: 'http://10.0.0.7:5555',
        availability: 'UP',
        maxSessions: 1,
        slots: [{ session: null }],
      },
      { id: 'n-2', uri: 'http://10.0.0.8:5555', availability: 'DOWN', slots: [] },
      { uri: 'no id: dropped', slots: [] },
    ],
  },
};

describe('parseGridStatus', () => {
  test("a node's own status", () => {
    expect(parseGridStatus(NODE)).toEqual({
      ready: false,
      message: 'Selenium Grid not ready.',
      node: {
        id: 'n-1',
        uri: 'http://10.0.0.7:5555',
        availability: 'DRAINING',
        maxSessions: 2,
        slots: [{ session: { sessionId: 'abc' } }, { session: null }],
        sessions: 1,
      },
      nodes: [],
    });
  });

  test("a hub's list of nodes; an entry without id is dropped, a missing maxSessions is the slot count", () => {
    const status = parseGridStatus(HUB);
    expect(status.node).toBeUndefined();
    expect(status.ready).toBe(true);
    expect(status.nodes).toEqual([
      {
        id: 'n-1',
        uri: 'http://10.0.0.7:5555',
        availability: 'UP',
        maxSessions: 1,
        slots: [{ session: null }],
        sessions: 0,
      },
      {
        id: 'n-2',
        uri: 'http://10.0.0.8:5555',
        availability: 'DOWN',
        maxSessions: 0,
        slots: [],
        sessions: 0,
      },
    ]);
  });

  test.each([
    ['availability outside the three', 'STARTING', 'UNKNOWN'],
    ['no availability', undefined, 'UNKNOWN'],
  ])('%s reads as %s', (_what, availability, expected) => {
    const body = { value: { ready: true, node: { nodeId: 'x', availability, slots: [] } } };
    expect(parseGridStatus(body).node?.availability).toBe(expected);
  });

  test.each([
    ['no value', {}],
    ['no ready flag', { value: { message: 'hi' } }],
    ['not an object', 'Selenium Grid'],
    ['null', null],
  ])('%s: GRID_INVALID_RESPONSE naming the URL', (_what, body) => {
    expect(() => parseGridStatus(body, 'http://hub:4444/status')).toThrow(
      new GridError(
        'GRID_INVALID_RESPONSE',
        'GET http://hub:4444/status answered without a Selenium Grid status',
      ),
    );
    try {
      parseGridStatus(body);
    } catch (error) {
      expect((error as GridError).code).toBe('GRID_INVALID_RESPONSE');
    }
  });
});
