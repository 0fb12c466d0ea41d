export {
  findLeftoverProcesses,
  findMarkedProcesses,
  killProcesses,
  type LeftoverProcess,
  type MarkedProcess,
} from './leftover-processes.ts';
export { signalProcessGroup } from './signal-process-group.ts';
export { type GroupStopped, type StoppableGroup, stopProcessGroup } from './stop-process-group.ts';
export {
  currentRunId,
  type ProcessExit,
  SPAWN_MARKER_ENV,
  type SpawnTrackedOptions,
  spawnTracked,
  stopAllTracked,
  TEST_RUN_ENV,
  type TrackedProcess,
} from './tracked-process.ts';
export {
  GiveUpWaiting,
  type WaitClock,
  type WaitOptions,
  WaitTimeoutError,
  waitUntil,
} from './wait-until.ts';
