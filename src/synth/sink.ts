/**
 * Row sinks: the generator writes each table as delimited text to a temporary file through a fixed 8 MB
 * buffer, and DuckDB turns the file into Parquet (`parquet.ts`). Memory stays bounded by the buffer, whatever
 * the number of rows. Values never contain tabs or newlines (JSON text escapes them), so no quoting is
 * needed; an empty field is NULL.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const BUFFER_BYTES = 8 * 1024 * 1024;

export class TsvSink {
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private readonly fd: number;
  /** Rows written since the sink was opened. */
  rows = 0;

  constructor(
    readonly path: string,
    private readonly delimiter = '\t',
  ) {
    this.fd = openSync(path, 'w');
  }

  /** Appends one row; `null`/`undefined` fields become NULL. */
  row(fields: readonly (string | number | null | undefined)[]): void {
    let line = '';
    for (let i = 0; i < fields.length; i++) {
      const v = fields[i];
      if (i > 0) line += this.delimiter;
      if (v != null) line += v;
    }
    line += '\n';
    // UTF-8 takes at most 3 bytes per UTF-16 code unit
    if (this.used + line.length * 3 > BUFFER_BYTES) {
      this.flush();
      if (line.length * 3 > BUFFER_BYTES) {
        writeSync(this.fd, line);
        this.rows++;
        return;
      }
    }
    this.used += this.buffer.write(line, this.used, 'utf8');
    this.rows++;
  }

  private flush(): void {
    let written = 0;
    while (written < this.used) written += writeSync(this.fd, this.buffer, written, this.used - written);
    this.used = 0;
  }

  /** Writes what is buffered and closes the file. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
