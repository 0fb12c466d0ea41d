export { signalProcessGroup } from './signal-process-group.ts';
export { type GroupStopped, type StoppableGroup, stopProcessGroup } from './stop-process-group.ts';
