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
  /** The "next page" control: a link whose href is followed, or a control that is clicked. */
  next?: Locator;
  /**
   * 'link': the next control's href is queued as a new page. 'click': the control is clicked in the
   * same session (the page navigates in a click handler or updates in place) until it is gone or
   * disabled; the pages read that way form one visit, retried as a whole.
   */
  follow: 'link' | 'click';
  /** A "load more" button, clicked until it is gone or disabled before the items are read once. */
  loadMore?: Locator;
  /** Pages followed from each start URL, the start page included (load-more clicks count as pages). */
  maxPages: number;
  /**
   * When `next` matches an element that cannot be followed as configured (a link without a usable
   * href): 'fail' the job (default), or only 'warn'. Both log it and note it in the manifest.
   */
  onUnfollowable: 'fail' | 'warn';
}

/**
 * Setup run once when a browser session opens (and again when a lost session is replaced): load
 * `url`, run `actions` (a login form), then check that it worked. The session's cookies stay.
 */
export interface LoginSpec {
  url: string;
  wait: WaitSpec;
  actions: PageAction[];
  /** It worked when this element is present and/or the browser's URL contains this text. */
  success: { for?: Locator; urlContains?: string };
  /** How long the check may take after the actions. */
  timeoutMs: number;
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
  /** The job fails when it writes fewer records than this (default 1: an empty run is a failure). */
  minItems: number;
}

export interface BrowserSpec {
  gridUrl: string;
  capabilities: Record<string, unknown>;
  /** How long to wait for the Grid to be ready at start (the hub may start after the worker). */
  readyTimeoutMs: number;
  /**
   * What the worker waits for at start: 'node' (a node can take a session: the pod's own Grid) or
   * 'hub' (the hub answers: a shared Grid that starts its nodes for queued requests, from 0).
   */
  waitFor: 'node' | 'hub';
  /** Sent by the browser and matched against robots.txt; the browser's own when unset. */
  userAgent?: string;
  /** The browser window's inner size is set to this when a session opens; the browser's default otherwise. */
  windowSize?: { width: number; height: number };
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
  /** Run once per browser session before its first page. */
  login?: LoginSpec;
  /** 'obey': pages that the host's robots.txt disallows are skipped (default); 'ignore': not read. */
  robotsTxt: 'obey' | 'ignore';
  limits: LimitsSpec;
  browser: BrowserSpec;
  output: OutputSpec;
  /** No embulk section: the JSON Lines are written and the transfer is skipped, said clearly. */
  embulk?: EmbulkSpec;
}

/** A scraped record: field name → typed value (arrays for `all` fields, null for missing optional ones). */
export type ScrapedRecord = Record<string, unknown>;
