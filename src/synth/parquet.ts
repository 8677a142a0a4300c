/**
 * A scratch in-memory DuckDB used only to turn the generator's TSV files into Parquet with
 * `COPY (SELECT … FROM read_csv(…)) TO`: one call per chunk instead of one appender call per value, and DuckDB
 * streams it, so its memory stays within `memory_limit`. (The appender route was not benchmarked.)
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../store/db.js';
import type { TableLayout } from './schema.js';

export class ParquetWriter {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Opens the scratch database with a memory cap and `threads` worker threads. */
  static async open(options: { threads?: number; memoryLimit?: string } = {}): Promise<ParquetWriter> {
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(options.threads ?? 2),
      memory_limit: options.memoryLimit ?? '256MB',
      preserve_insertion_order: 'true',
    });
    return new ParquetWriter(instance, await instance.connect());
  }

  /** Converts the TSV file `tsvPath` laid out as `layout` into `parquetPath` (zstd); returns the row count. */
  async convert(layout: TableLayout, tsvPath: string, parquetPath: string): Promise<number> {
    const columns = `{${layout.columns.map(([name, type]) => `${quoteLiteral(name)}: ${quoteLiteral(type)}`).join(', ')}}`;
    const source = `read_csv(${quoteLiteral(tsvPath)}, delim='\t', quote='', escape='', header=false, nullstr='',
      auto_detect=false, columns=${columns})`;
    const result = await this.connection.run(
      `COPY (SELECT ${layout.select} FROM ${source}) TO ${quoteLiteral(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    return Number(result.rowsChanged);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
