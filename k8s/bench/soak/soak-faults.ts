import type { FaultSpec } from '@scrapegrid/session-load';

/** What the soak does to configuration E while its load runs (issue 18, item 4). */
export type SoakFaultKind = 'delete-busy-pod' | 'restart-keda' | 'restart-exporter' | 'kill-chrome';

/** Two busy pods deleted, KEDA's operator and grid-exporter restarted, one browser killed. */
export const SOAK_FAULTS: readonly FaultSpec<SoakFaultKind>[] = [
  { kind: 'delete-busy-pod', needsSession: true },
  { kind: 'delete-busy-pod', needsSession: true },
  { kind: 'restart-keda', needsSession: false },
  { kind: 'restart-exporter', needsSession: false },
  { kind: 'kill-chrome', needsSession: true },
];
