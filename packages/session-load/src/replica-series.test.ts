import { describe, expect, test } from 'vitest';
import { replicaSeries } from './replica-series.ts';
import type { ClusterRecording } from './start-cluster-recorder.ts';

const recording: ClusterRecording = {
  startedAt: 10_000,
  endedAt: 14_000,
  pods: [
    { name: 'a', uid: 'a', createdAt: 9_000, firstSeenAt: 10_000, goneAt: 12_500 },
    { name: 'b', uid: 'b', createdAt: 11_000, firstSeenAt: 11_000 },
  ],
  replicas: [
    { at: 10_000, spec: 1, status: 1, ready: 1 },
    { at: 11_000, spec: 2, status: 1, ready: 1 },
    { at: 12_000, spec: 2, status: 2, ready: 1 },
  ],
  watchRestarts: 0,
  failedSamples: 0,
  errors: [],
};

describe('replicaSeries', () => {
  test('spec and status replicas from the samples, time from the given start', () => {
    expect(replicaSeries('E', recording, { measure: 'spec', fromMs: 9_000 }).points).toEqual([
      { tMs: 1_000, replicas: 1 },
      { tMs: 2_000, replicas: 2 },
      { tMs: 3_000, replicas: 2 },
    ]);
    expect(replicaSeries('E', recording, { measure: 'status' }).points.map((p) => p.replicas)).toEqual([
      1, 1, 2,
    ]);
  });

  test('pods alive each second, from the pod lifetimes', () => {
    expect(replicaSeries('A', recording, { measure: 'pods' })).toEqual({
      name: 'A',
      points: [
        { tMs: 0, replicas: 1 },
        { tMs: 1_000, replicas: 2 },
        { tMs: 2_000, replicas: 2 },
        { tMs: 3_000, replicas: 1 },
        { tMs: 4_000, replicas: 1 },
      ],
    });
  });
});
