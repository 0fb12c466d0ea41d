import { describe, expect, test } from 'vitest';
import { formatTable } from './format-table.ts';
import type { RunSummary } from './summarize-run.ts';

const summary: RunSummary = {
  planned: 33,
  requested: 33,
  skipped: 0,
  ok: 32,
  lost: 1,
  failedToStart: 0,
  cut: 0,
  queueWait: { count: 33, p50Ms: 1_234, p95Ms: 26_900, maxMs: 27_300 },
  wallMs: 1_381_400,
};

describe('formatTable', () => {
  test('a row per run, figures aligned, - where there is none', () => {
    const table = formatTable([
      {
        name: 'A docker-selenium',
        summary,
        cost: {
          pods: 9,
          nodePodSeconds: 4_321.6,
          busyPodSeconds: 2_000,
          idleShare: 0.537,
          terminatingPodSeconds: 30,
          stuckTerminating: [{ name: 'p', pastGraceMs: 9_000, stillPresent: false }],
          sessionsWithoutNode: 0,
        },
      },
      {
        name: 'local',
        summary: {
          ...summary,
          queueWait: { count: 0, p50Ms: undefined, p95Ms: undefined, maxMs: undefined },
        },
      },
    ]);
    expect(table.split('\n')).toEqual([
      'config             requested  ok  lost  no start  cut  wait p50  wait p95  wait max    wall  node-pod-s  idle  stuck',
      '-----------------  ---------  --  ----  --------  ---  --------  --------  --------  ------  ----------  ----  -----',
      'A docker-selenium         33  32     1         0    0     1.2 s    26.9 s    27.3 s  1381 s        4322   54%      1',
      'local                     33  32     1         0    0         -         -         -  1381 s           -     -      -',
    ]);
  });
});
