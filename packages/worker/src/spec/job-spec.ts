/**
 * The worker's job spec after parsing and validation: every default filled in, every value
 * checked. Users write it as YAML (`version: 1`); parse-job-spec.ts turns the YAML into this.
 * This is the interface between the spec, the scraping engine, the output writer and Embulk.
 */
export const JOB_SPEC_VERSION = 1;

/** Exactly one of css or xpath. */
export type Locator = { css: string; xpath?: undefined } | { xpath: string; css?: undefined };

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'url' | 'json';

export interface FieldSpec {
  /** Where the value is, relative to the item element; undefined means the item element itself. */
  locator?: Locator;
  /** What is read: the element's visible text, its inner HTML, or one attribute. */
  read: { kind: 'text' } | { kind: 'html' } | { kind: 'attribute'; name: string };
  /** One value (the first match) or all matches as an array. */
  all: boolean;
  type: FieldType;
  /** For timestamps: 'iso8601' (default), 'epoch-seconds', 'epoch-millis', or a strftime-like pattern. */
  format?: string;
  required: boolean;
}

export interface WaitSpec {
  /** An element that must be present before the page is read (JavaScript-rendered content). */
  for?: Locator;
  timeoutMs: number;
}

export type PageAction =
  /** Types the value of an environment variable into a field: secrets never appear in the spec. */
  | { kind: 'fill'; target: Locator; fromEnv: string }
  | { kind: 'click'; target: Locator }
  | { kind: 'wait'; for?: Locator; timeoutMs: number }
  /** Scrolls to the bottom `times` times, pausing between scrolls; stops early once untilCount items are present. */
  | { kind: 'scroll'; times: number; pauseMs: number; untilCount?: { locator: Locator; count: number } };

export type StartSpec =
  | { kind: 'urls'; urls: string[] }
  /** `{page}` in the template is replaced by every integer from `from` to `to`. */
  | { kind: 'template'; template: string; from: number; to: number };

export interface PaginationSpec {
  /** The "next page" link; its href is followed. */
  next: Locator;
  /** Pages followed from each start URL, the start page included. */
  maxPages: number;
}

export interface DetailSpec {
  /** The item field that holds the detail page's URL (a field of type url). */
  urlField: string;
  wait: WaitSpec;
  /** Fields read on the detail page (relative to the document); joined into the record. */
  fields: Record<string, FieldSpec>;
}

export interface LimitsSpec {
  /** Browser sessions in parallel. */
  concurrency: number;
  /** Minimum delay between two requests to the same host. */
  delayPerHostMs: number;
  maxPages: number;
  maxItems: number;
  pageTimeoutMs: number;
  /** Attempts after the first for a page that fails. */
  retries: number;
  backoff: { initialMs: number; maxMs: number; multiplier: number; jitter: number };
  /** The job fails when more pages than this fail for good (0: any failed page fails the job). */
  maxFailedPages: number;
}

export interface BrowserSpec {
  gridUrl: string;
  capabilities: Record<string, unknown>;
  /** How long to wait for the Grid to be ready at start (the hub may start after the worker). */
  readyTimeoutMs: number;
}

export interface OutputSpec {
  /** Root of the worker's files on the shared volume: data/, in-progress/, failures/, manifest.json. */
  dir: string;
  /** A part file is closed and a new one opened past this many bytes. */
  partMaxBytes: number;
}

export interface EmbulkSpec {
  /** The `out:` section exactly as the user writes it for Embulk, `${env:NAME}` already resolved. */
  out: Record<string, unknown>;
  /** Extra top-level Embulk settings (exec:, filters:), passed through. */
  extra: Record<string, unknown>;
  /**
   * The values that came from `${env:NAME}` (passwords, tokens), for runEmbulk's `redact`: Embulk
   * may print them (an error quoting a connection URL) and its lines go into the worker's log.
   */
  secrets?: string[];
}

export interface JobSpec {
  version: typeof JOB_SPEC_VERSION;
  name: string;
  start: StartSpec;
  wait: WaitSpec;
  actions: PageAction[];
  items: { locator: Locator; fields: Record<string, FieldSpec> };
  pagination?: PaginationSpec;
  detail?: DetailSpec;
  limits: LimitsSpec;
  browser: BrowserSpec;
  output: OutputSpec;
  /** No embulk section: the JSON Lines are written and the transfer is skipped, said clearly. */
  embulk?: EmbulkSpec;
}

/** A scraped record: field name → typed value (arrays for `all` fields, null for missing optional ones). */
export type ScrapedRecord = Record<string, unknown>;
