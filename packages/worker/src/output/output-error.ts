/**
 * The output directory cannot be used or written. Codes: OUTPUT_NOT_EMPTY (data/ holds a previous
 * run's parts: loading them again would duplicate records), WRITER_CLOSED (write after finish or
 * abort), OUTPUT_IO (the disk said no; see cause).
 */
export class OutputError extends Error {
  readonly code: 'OUTPUT_NOT_EMPTY' | 'WRITER_CLOSED' | 'OUTPUT_IO';

  constructor(code: OutputError['code'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OutputError';
    this.code = code;
  }
}
