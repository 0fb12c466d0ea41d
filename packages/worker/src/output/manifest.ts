import writeFileAtomic from 'write-file-atomic';
import type { FieldType } from '../spec/job-spec.ts';

/** A page that failed for good (after its retries), with what was saved of it in failures/. */
export interface PageFailure {
  url: string;
  error: string;
  attempts: number;
  /** Path of the screenshot, relative to the output dir (failures/…png). */
  screenshot?: string;
  /** Path of the HTML snapshot, relative to the output dir (failures/…html). */
  html?: string;
}

/**
 * Something the user must know about the run even when it succeeded: a next control that could not
 * be followed, a field that matched nothing on any page, pages skipped by robots.txt… Callers
 * branch on `code`.
 */
export interface ManifestNote {
  code:
    | 'NEXT_NOT_FOLLOWABLE'
    | 'ITEMS_NEVER_MATCHED'
    | 'TOO_FEW_RECORDS'
    | 'FIELD_NEVER_MATCHED'
    | 'ROBOTS_DISALLOWED'
    | 'DETAIL_URL_MISSING'
    | 'DETAIL_ITEMS_LOST';
  message: string;
  /** The page concerned, when there is one. */
  url?: string;
  /** The field concerned (FIELD_NEVER_MATCHED). */
  field?: string;
}

/** How the scrape ended, as the program tells the writer when it finishes. */
export interface JobOutcome {
  status: 'succeeded' | 'failed' | 'aborted';
  /** Why the scrape failed, in one line. */
  reason?: string;
  failures: PageFailure[];
  notes?: ManifestNote[];
  /** Pages read (listing and detail pages). */
  pages: number;
  startedAt: Date;
}

/** One column of the records: what a reader (Embulk, a person) can expect under each key. */
export interface SchemaColumn {
  name: string;
  type: FieldType;
  /** True when the value is an array of `type` values. */
  all: boolean;
  required: boolean;
  /** Read on the listing page (item) or on the item's detail page (detail). */
  from: 'item' | 'detail';
  /** For timestamps: how the value is written in the JSON (always the same, whatever the page had). */
  format?: string;
}

export interface ManifestFile {
  /** Relative to the output dir, e.g. data/part-00001.jsonl. */
  path: string;
  records: number;
  bytes: number;
  sha256: string;
}

/**
 * manifest.json, beside data/ (never inside it, so Embulk never reads it). `running` while the
 * worker writes; a manifest still `running` after the worker is gone means it crashed.
 */
export interface Manifest {
  version: 1;
  job: string;
  status: 'running' | JobOutcome['status'];
  /** Why the output was aborted (SIGTERM…). */
  reason?: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  pages: number;
  records: number;
  files: ManifestFile[];
  /** After an abort: the part that was being written, left in in-progress/ (never loaded). */
  unpublished?: ManifestFile[];
  schema: SchemaColumn[];
  failures: PageFailure[];
  /** What the user must know about the run (see ManifestNote), in the order it was noticed. */
  notes: ManifestNote[];
}

/** Writes the manifest atomically (write-file-atomic: a temporary file, flushed, renamed over manifest.json). */
export async function writeManifest(path: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o644 });
}
