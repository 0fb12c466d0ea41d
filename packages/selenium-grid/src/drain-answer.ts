/** What one drain request got: accepted, refused (with the reason), no answer, or not sent. */
export interface DrainAnswer {
  readonly outcome: 'accepted' | 'refused' | 'unreachable' | 'skipped';
  readonly detail: string;
}
