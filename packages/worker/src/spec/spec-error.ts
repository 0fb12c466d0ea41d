/** One problem in a job spec: where (dotted path, YAML line) and what. */
export interface SpecIssue {
  /** Dotted path of the offending value, e.g. `items.fields.price.type` or `actions[1].fill`. */
  path: string;
  /** 1-based line in the YAML source, when the problem has a place in it. */
  line?: number;
  message: string;
}

/**
 * The job spec is invalid. Lists every problem found, not just the first, so a user fixes them all
 * in one round; main.ts maps the code to exit 2.
 */
export class SpecError extends Error {
  readonly code = 'SPEC_INVALID';
  readonly issues: readonly SpecIssue[];

  constructor(issues: readonly SpecIssue[], sourceName = 'job.yaml', options?: ErrorOptions) {
    super(issues.map((issue) => formatSpecIssue(issue, sourceName)).join('\n'), options);
    this.name = 'SpecError';
    this.issues = issues;
  }
}

/** `job.yaml:12: items.fields.price.type: must be one of …` (the line is left out when unknown). */
export function formatSpecIssue(issue: SpecIssue, sourceName: string): string {
  const where = issue.line === undefined ? sourceName : `${sourceName}:${issue.line}`;
  return `${where}: ${issue.path === '' ? '(document)' : issue.path}: ${issue.message}`;
}
