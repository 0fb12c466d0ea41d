import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobSpec, ScrapedRecord } from '../spec/job-spec.ts';
import { encodeRecord } from './encode-record.ts';
import { type JobOutcome, type Manifest, type ManifestFile, writeManifest } from './manifest.ts';
import { OutputError } from './output-error.ts';
import { recordSchema } from './record-schema.ts';

export interface RecordWriterOptions {
  /** The output dir: in-progress/, data/, failures/ and manifest.json are made under it. */
  dir: string;
  /** A part is closed and moved to data/ before a record would take it past this size. */
  partMaxBytes: number;
  spec: JobSpec;
  /** Put before each part's name: `shard-00002-` in an Indexed Job, so a file tells whose it is. */
  partPrefix?: string;
}

export interface RecordWriter {
  /**
   * Queues one record; resolves when it is buffered, waiting while the buffer is written out
   * (backpressure: await it). Throws RecordInvalidError for a record that does not fit the spec.
   * Safe to call from several sessions at once: lines are never interleaved.
   */
  write(record: ScrapedRecord): Promise<void>;
  /** Records accepted so far. */
  readonly recordsWritten: number;
  /** Moves the last part into data/ and writes the manifest with the outcome. */
  finish(outcome: JobOutcome): Promise<Manifest>;
  /**
   * SIGTERM path: flushes the part being written but leaves it in in-progress/ (listed in the
   * manifest as unpublished), keeps complete parts in data/, marks the manifest aborted.
   */
  abort(reason: string): Promise<void>;
}

export const OUTPUT_LAYOUT = Object.freeze({
  inProgress: 'in-progress',
  data: 'data',
  failures: 'failures',
  manifest: 'manifest.json',
});

/**
 * Streams records as JSON Lines into part files. A part is written in in-progress/, flushed to disk,
 * then renamed into data/ (same filesystem: the move is atomic), so Embulk, which reads every file
 * under data/, never sees a half-written file, even after a crash. Memory holds one buffer of
 * about 64 KiB whatever the number of records.
 */
export async function createRecordWriter(options: RecordWriterOptions): Promise<RecordWriter> {
  const paths = {
    inProgress: join(options.dir, OUTPUT_LAYOUT.inProgress),
    data: join(options.dir, OUTPUT_LAYOUT.data),
    failures: join(options.dir, OUTPUT_LAYOUT.failures),
    manifest: join(options.dir, OUTPUT_LAYOUT.manifest),
  };
  try {
    for (const dir of [paths.inProgress, paths.data, paths.failures]) await mkdir(dir, { recursive: true });
    for (const [where, path] of [
      ['data/', paths.data],
      ['in-progress/', paths.inProgress],
    ] as const) {
      const previous = await readdir(path);
      if (previous.length > 0) {
        // data/: loading them again would duplicate records; in-progress/: records a previous run
        // accepted but never published. Either way a person decides, not the next run.
        throw new OutputError(
          'OUTPUT_NOT_EMPTY',
          `${where} of output dir ${options.dir} holds ${previous.length} file(s) from a previous run ` +
            `(${previous[0]}): remove the output dir or choose another output.dir`,
        );
      }
    }
  } catch (error) {
    if (error instanceof OutputError) throw error;
    throw new OutputError('OUTPUT_IO', `cannot prepare output dir ${options.dir}: ${String(error)}`, {
      cause: error,
    });
  }
  const writer = new JsonLinesWriter(paths, options.partMaxBytes, options.spec, options.partPrefix ?? '');
  await writer.start();
  return writer;
}

// --- internal ---

/** Buffered bytes written to the part in one go: big enough for throughput, small for memory. */
const FLUSH_BYTES = 64 * 1024;

interface Paths {
  inProgress: string;
  data: string;
  failures: string;
  manifest: string;
}

interface OpenPart {
  name: string;
  handle: FileHandle;
  hash: Hash;
  /** Bytes and records in the part, buffered ones included. */
  bytes: number;
  records: number;
}

class JsonLinesWriter implements RecordWriter {
  recordsWritten = 0;
  private readonly paths: Paths;
  private readonly partMaxBytes: number;
  private readonly spec: JobSpec;
  private readonly partPrefix: string;
  private readonly schema;
  private readonly startedAt = new Date();
  private readonly files: ManifestFile[] = [];
  private state: 'open' | 'closed' = 'open';
  private part: OpenPart | undefined;
  private partIndex = 0;
  private buffer: string[] = [];
  private bufferBytes = 0;
  /** The disk operation in progress; writers wait for it, so lines never interleave. */
  private busy: Promise<void> | undefined;
  private failure: unknown;

  constructor(paths: Paths, partMaxBytes: number, spec: JobSpec, partPrefix: string) {
    this.paths = paths;
    this.partPrefix = partPrefix;
    this.partMaxBytes = partMaxBytes;
    this.spec = spec;
    this.schema = recordSchema(spec);
  }

  async start(): Promise<void> {
    await writeManifest(this.paths.manifest, this.manifest('running'));
  }

  async write(record: ScrapedRecord): Promise<void> {
    const line = `${encodeRecord(record, this.schema)}\n`;
    const bytes = Buffer.byteLength(line);
    for (;;) {
      while (this.busy !== undefined) await this.busy.catch(() => {});
      this.checkOpen();
      if (this.part !== undefined && this.part.records > 0 && this.part.bytes + bytes > this.partMaxBytes) {
        await this.exclusive(() => this.completePart());
      } else if (this.part === undefined) {
        await this.exclusive(() => this.openPart());
      } else {
        break;
      }
    }
    const part = this.part!;
    this.buffer.push(line);
    this.bufferBytes += bytes;
    part.bytes += bytes;
    part.records += 1;
    this.recordsWritten += 1;
    if (this.bufferBytes >= FLUSH_BYTES) await this.exclusive(() => this.flush());
  }

  async finish(outcome: JobOutcome): Promise<Manifest> {
    while (this.busy !== undefined) await this.busy.catch(() => {});
    this.checkOpen();
    this.state = 'closed';
    try {
      if (this.part !== undefined) await this.completePart();
      const manifest = this.manifest(outcome.status, outcome);
      await writeManifest(this.paths.manifest, manifest);
      return manifest;
    } catch (error) {
      throw new OutputError('OUTPUT_IO', `cannot finish the output: ${String(error)}`, { cause: error });
    }
  }

  async abort(reason: string): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    while (this.busy !== undefined) await this.busy.catch(() => {});
    const part = this.part;
    const unpublished: ManifestFile[] = [];
    if (part !== undefined) {
      // Every accepted record reaches the disk, but the part stays in in-progress/: it is not a
      // complete output, and nothing that reads data/ may take it for one.
      try {
        await this.flush();
        await part.handle.sync();
        unpublished.push({
          path: join(OUTPUT_LAYOUT.inProgress, part.name),
          records: part.records,
          bytes: part.bytes,
          sha256: part.hash.digest('hex'),
        });
      } catch (error) {
        reason = `${reason}; the part in progress could not be flushed: ${String(error)}`;
      } finally {
        await part.handle.close().catch(() => {});
      }
    }
    this.part = undefined;
    this.buffer = [];
    this.bufferBytes = 0;
    await writeManifest(this.paths.manifest, { ...this.manifest('aborted'), reason, unpublished });
  }

  // --- internal ---

  private checkOpen(): void {
    if (this.failure !== undefined) {
      throw new OutputError('OUTPUT_IO', `the output failed earlier: ${String(this.failure)}`, {
        cause: this.failure,
      });
    }
    if (this.state !== 'open')
      throw new OutputError('WRITER_CLOSED', 'the record writer is finished or aborted');
  }

  /** Runs one disk operation while every other write waits; a disk error stops the writer. */
  private async exclusive(operation: () => Promise<void>): Promise<void> {
    const running = operation().catch((error: unknown) => {
      this.failure ??= error;
      throw new OutputError('OUTPUT_IO', `cannot write records: ${String(error)}`, { cause: error });
    });
    this.busy = running;
    try {
      await running;
    } finally {
      this.busy = undefined;
    }
  }

  private async openPart(): Promise<void> {
    this.partIndex += 1;
    const name = `${this.partPrefix}part-${String(this.partIndex).padStart(5, '0')}.jsonl`;
    const handle = await open(join(this.paths.inProgress, name), 'wx', 0o644);
    this.part = { name, handle, hash: createHash('sha256'), bytes: 0, records: 0 };
  }

  private async flush(): Promise<void> {
    const part = this.part;
    if (part === undefined || this.bufferBytes === 0) return;
    const chunk = Buffer.from(this.buffer.join(''), 'utf8');
    this.buffer = [];
    this.bufferBytes = 0;
    part.hash.update(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      const { bytesWritten } = await part.handle.write(chunk, offset);
      offset += bytesWritten;
    }
  }

  /** Flush, fsync, close, then rename into data/: only a complete part ever appears there. */
  private async completePart(): Promise<void> {
    const part = this.part!;
    await this.flush();
    await part.handle.sync();
    await part.handle.close();
    const relative = join(OUTPUT_LAYOUT.data, part.name);
    await rename(join(this.paths.inProgress, part.name), join(this.paths.data, part.name));
    await syncDirectory(this.paths.data);
    this.files.push({
      path: relative,
      records: part.records,
      bytes: part.bytes,
      sha256: part.hash.digest('hex'),
    });
    this.part = undefined;
    // After a crash, the manifest still lists every complete part with its checksum.
    if (this.state === 'open') await writeManifest(this.paths.manifest, this.manifest('running'));
  }

  private manifest(status: Manifest['status'], outcome?: JobOutcome): Manifest {
    const finishedAt = status === 'running' ? undefined : new Date();
    const startedAt = outcome?.startedAt ?? this.startedAt;
    return {
      version: 1,
      job: this.spec.name,
      status,
      ...(outcome?.reason === undefined ? {} : { reason: outcome.reason }),
      startedAt: startedAt.toISOString(),
      ...(finishedAt === undefined
        ? {}
        : { finishedAt: finishedAt.toISOString(), durationMs: finishedAt.getTime() - startedAt.getTime() }),
      pages: outcome?.pages ?? 0,
      records: this.files.reduce((sum, file) => sum + file.records, 0),
      files: [...this.files],
      schema: this.schema,
      failures: outcome?.failures ?? [],
      notes: outcome?.notes ?? [],
    };
  }
}

/** Makes the rename itself durable: a crash right after it must not bring the part back. */
async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
