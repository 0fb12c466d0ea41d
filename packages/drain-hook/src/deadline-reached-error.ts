/** The deadline came while the node still ran sessions. Exit code 1. */
export class DeadlineReachedError extends Error {
  readonly code = 'DRAIN_HOOK_DEADLINE_REACHED';
  readonly sessionsLeft: number;

  constructor(message: string, sessionsLeft: number) {
    super(message);
    this.sessionsLeft = sessionsLeft;
  }
}
