/** What one drain request got: accepted, refused (with the reason) or no answer at all. */
export interface DrainAnswer {
  readonly outcome: 'accepted' | 'refused' | 'unreachable' | 'skipped';
  readonly detail: string;
}
