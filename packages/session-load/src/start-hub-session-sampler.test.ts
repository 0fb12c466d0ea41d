import { parseGridStatus } from '@scrapegrid/selenium-grid';
import { describe, expect, test } from 'vitest';
import { startHubSessionSampler } from './start-hub-session-sampler.ts';

// A hub's /status as Selenium 4 answers it: one node, two slots, one busy.
function hubStatus(sessionId: string | undefined) {
  return parseGridStatus({
    value: {
      ready: true,
      message: 'Selenium Grid ready.',
      nodes: [
        {
          id: 'node-1',
          uri: 'http://10.0.0.7:5555',
          availability: 'UP',
          maxSessions: 2,
          slots: [
            {
              id: { hostId: 'node-1', id: 'slot-1' },
              lastStarted: '2026-12-05T10:00:00.250Z',
              session: sessionId
                ? {
                    sessionId,
                    start: '2026-12-05T10:00:00.250Z',
                    uri: 'http://10.0.0.7:5555',
                    capabilities: {},
                    stereotype: {},
                  }
                : null,
              stereotype: { browserName: 'chrome' },
            },
            {
              id: { hostId: 'node-1', id: 'slot-2' },
              lastStarted: '1970-01-01T00:00:00Z',
              session: null,
              stereotype: {},
            },
          ],
        },
      ],
    },
  });
}

describe('startHubSessionSampler', () => {
  test('keeps every session the hub listed, its node, the hub start, first and last seen; counts failed reads', async () => {
    const answers = [
      hubStatus('s1'),
      new Error('hub restarting'),
      hubStatus('s1'),
      hubStatus('s2'),
      hubStatus(undefined),
    ];
    let clock = 1_000;
    let reads = 0;
    let done: () => void = () => {};
    const allRead = new Promise<void>((resolve) => {
      done = resolve;
    });
    const sampler = startHubSessionSampler({
      hubUrl: 'http://127.0.0.1:4444',
      intervalMs: 1,
      now: () => clock,
      readStatus: async () => {
        const answer = answers[reads];
        reads++;
        clock += 1_000;
        if (reads === answers.length) done();
        if (answer === undefined) return hubStatus(undefined);
        if (answer instanceof Error) throw answer;
        return answer;
      },
    });
    await allRead;
    const view = await sampler.stop();
    const start = Date.parse('2026-12-05T10:00:00.250Z');
    expect(view.sessions).toEqual([
      {
        sessionId: 's1',
        nodeId: 'node-1',
        nodeUri: 'http://10.0.0.7:5555',
        startedAt: start,
        firstSeenAt: 2_000,
        lastSeenAt: 4_000,
      },
      {
        sessionId: 's2',
        nodeId: 'node-1',
        nodeUri: 'http://10.0.0.7:5555',
        startedAt: start,
        firstSeenAt: 5_000,
        lastSeenAt: 5_000,
      },
    ]);
    expect(view.failedSamples).toBe(1);
    expect(view.samples).toBeGreaterThanOrEqual(4);
  });
});
