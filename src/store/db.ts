/**
 * The embedded database: one DuckDB file per project (or `:memory:`), opened through `@duckdb/node-api`.
 * This is the only module that holds a connection; everything else goes through `Store`.
 * Large reads come back as typed columns (`readMatrix`, `readColumns`), never as one object per row.
 */
import { DuckDBConnection, DuckDBInstance, DuckDBTypeId, type DuckDBValue } from '@duckdb/node-api';
import { InputError } from '../core/errors.js';
import { migrate } from './migrations.js';

/** DuckDB's memory limit unless `SEGMENTA_MEMORY_LIMIT` or the caller says otherwise (DuckDB size syntax). */
export const DEFAULT_MEMORY_LIMIT = '1GB';

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];

/** A column-major read: one array per column, all the same length. */
export interface ColumnSet {
  readonly names: readonly string[];
  readonly columns: Readonly<Record<string, readonly unknown[]>>;
  readonly rowCount: number;
}

/** `SEGMENTA_TRACE_SQL=1` prints each statement's wall time, the process's RSS after it and its opening and closing words to stderr (for profiling). */
const TRACE_SQL = process.env.SEGMENTA_TRACE_SQL === '1';

async function traced<T>(sql: string, work: Promise<T>): Promise<T> {
  if (!TRACE_SQL) return work;
  const start = performance.now();
  try {
    return await work;
  } finally {
    const rssMb = (process.memoryUsage.rss() / 1048576).toFixed(0).padStart(5);
    const text = sql.replace(/\s+/g, ' ').trim();
    // Opening and closing words: statements built from shared CTEs differ only at their end.
    const shown = text.length <= 220 ? text : `${text.slice(0, 140)} … ${text.slice(-80)}`;
    process.stderr.write(`[sql ${(performance.now() - start).toFixed(0).padStart(6)} ms, rss ${rssMb} MiB] ${shown}\n`);
  }
}

export interface StoreOptions {
  readonly readOnly?: boolean;
  /** DuckDB's memory limit (default `SEGMENTA_MEMORY_LIMIT`, else 1 GB). */
  readonly memoryLimit?: string;
  /** The write-ahead log's size that triggers a checkpoint (DuckDB's default 16 MB); see the server's. */
  readonly checkpointThreshold?: string;
  /** DuckDB's worker threads (default: DuckDB's, one per core); see the server's `duckdbThreads`. */
  readonly threads?: number;
}

export class Store {
  private transactionDepth = 0;
  private readonly onTransactionEnd: (() => Promise<unknown>)[] = [];

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** False for a Store from `connectAnother`: it closes its connection only, the instance stays with its origin. */
    private readonly ownsInstance = true,
  ) {}

  /** Opens (creating if needed) the database at `path` and brings its schema to the latest migration. */
  static async open(path = './segmenta.duckdb', options: StoreOptions = {}): Promise<Store> {
    let instance: DuckDBInstance;
    try {
      const config: Record<string, string> = {};
      if (options.readOnly) config.access_mode = 'READ_ONLY';
      // DuckDB's default is 80% of RAM; a laptop tool should stay small and spill to disk instead.
      config.memory_limit = options.memoryLimit ?? process.env.SEGMENTA_MEMORY_LIMIT ?? DEFAULT_MEMORY_LIMIT;
      // DuckDB's allocator (jemalloc) keeps freed pages until a later allocation purges them, outside the memory
      // limit's accounting: importing 1M customers peaked at 1.90 GB RSS with ~0.7 GB tracked. Purging on a
      // background thread and flushing after any task that allocated 32 MB brought that import to 1.55 GB.
      config.allocator_background_threads = 'true';
      config.allocator_flush_threshold = '32MB';
      if (options.checkpointThreshold) config.checkpoint_threshold = options.checkpointThreshold;
      if (options.threads !== undefined) config.threads = String(options.threads);
      instance = await DuckDBInstance.create(path, config);
    } catch (error) {
      throw new InputError(`cannot open database ${path}: ${(error as Error).message}`);
    }
    const connection = await instance.connect();
    const store = new Store(path, instance, connection);
    if (!options.readOnly) await migrate(store);
    return store;
  }

  /**
   * Another Store on the same open database: it shares this one's DuckDB instance (its cache and its lock on the
   * file) but has a connection of its own, so its own transactions, each seeing only what was committed when it
   * began (DuckDB's MVCC). A server reads through one while its writer holds a transaction open on this one. Close it
   * before this Store; closing it leaves the database open.
   */
  async connectAnother(): Promise<Store> {
    return new Store(this.path, this.instance, await this.instance.connect(), false);
  }

  /** Runs a statement (or several separated by `;` when there are no parameters). */
  async run(sql: string, params?: SqlParams): Promise<number> {
    const result = await traced(sql, this.connection.run(sql, params));
    return result.rowsChanged;
  }

  /** Small reads: row objects with JS values (bigint→number where safe, timestamps→Date). */
  async rows<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await traced(sql, this.connection.runAndReadAll(sql, params));
    return reader.getRowObjectsJS().map((row) => normaliseRow(row)) as T[];
  }

  /** The first column of the first row, or `undefined` for an empty result. */
  async scalar<T = unknown>(sql: string, params?: SqlParams): Promise<T | undefined> {
    const reader = await traced(sql, this.connection.runAndReadAll(sql, params));
    if (reader.currentRowCount === 0) return undefined;
    return normaliseValue(reader.getColumnsJS()[0]?.[0]) as T;
  }

  /** Column-major read with JS values; use for results of moderate size that are not numeric matrices. */
  async readColumns(sql: string, params?: SqlParams): Promise<ColumnSet> {
    const reader = await traced(sql, this.connection.runAndReadAll(sql, params));
    const names = reader.columnNames();
    const raw = reader.getColumnsJS();
    const columns: Record<string, unknown[]> = {};
    names.forEach((name, i) => {
      columns[name] = (raw[i] ?? []).map(normaliseValue);
    });
    return { names, columns, rowCount: reader.currentRowCount };
  }

  /**
   * Streams a query whose first column is an id (VARCHAR) and the rest are numeric, into a row-major
   * Float64Array. NULL becomes NaN (missing). Memory: 8 bytes per cell plus the ids.
   */
  async readMatrix(sql: string, params?: SqlParams): Promise<{ ids: string[]; columns: string[]; values: Float64Array; rows: number; cols: number }> {
    const result = await this.connection.stream(sql, params);
    const names = result.columnNames();
    const cols = names.length - 1;
    const ids: string[] = [];
    let values = new Float64Array(1024 * Math.max(cols, 1));
    let rows = 0;
    for (let c = 1; c <= cols; c++) {
      const id = result.columnTypeId(c);
      if (!NUMERIC_TYPES.has(id)) throw new InputError(`readMatrix requires numeric columns (column ${names[c]} has type ${result.columnType(c).toString()})`);
    }
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      while ((rows + n) * cols > values.length) {
        const grown = new Float64Array(values.length * 2);
        grown.set(values);
        values = grown;
      }
      const idVector = chunk.getColumnVector(0);
      for (let r = 0; r < n; r++) ids.push(String(idVector.getItem(r)));
      for (let c = 0; c < cols; c++) {
        const vector = chunk.getColumnVector(c + 1);
        for (let r = 0; r < n; r++) {
          const v = vector.getItem(r);
          values[(rows + r) * cols + c] = v == null ? NaN : Number(v as number | bigint);
        }
      }
      rows += n;
    }
    return { ids, columns: names.slice(1), values: values.slice(0, rows * cols), rows, cols };
  }

  /**
   * Streams a query of INTEGER columns (no NULLs) into one Int32Array per column: for index data (dense ids,
   * graph links) where a JS array of numbers, let alone of strings, would cost ten times the memory.
   */
  async readInt32Columns(sql: string, params?: SqlParams): Promise<{ columns: Int32Array[]; rows: number }> {
    const result = await this.connection.stream(sql, params);
    const names = result.columnNames();
    names.forEach((name, c) => {
      if (result.columnTypeId(c) !== DuckDBTypeId.INTEGER) throw new InputError(`readInt32Columns requires INTEGER columns (column ${name} has type ${result.columnType(c).toString()})`);
    });
    let columns = names.map(() => new Int32Array(1024));
    let rows = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      if (rows + n > columns[0]!.length) {
        columns = columns.map((column) => {
          const grown = new Int32Array(Math.max(column.length * 2, rows + n));
          grown.set(column);
          return grown;
        });
      }
      columns.forEach((column, c) => {
        const vector = chunk.getColumnVector(c);
        for (let r = 0; r < n; r++) {
          const v = vector.getItem(r);
          if (v === null) throw new InputError(`readInt32Columns found a NULL in column ${names[c]} (row ${rows + r + 1})`);
          column[rows + r] = v as number;
        }
      });
      rows += n;
    }
    return { columns: columns.map((column) => column.slice(0, rows)), rows };
  }

  /** True while a `transaction` is running (work then joins it rather than committing on its own). */
  get inTransaction(): boolean {
    return this.transactionDepth > 0;
  }

  /**
   * Runs `work` inside one transaction: all of it is committed or none of it. Nested calls join the outer
   * transaction (DuckDB has no savepoints).
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.transactionDepth > 0) {
      this.transactionDepth++;
      try {
        return await work();
      } finally {
        this.transactionDepth--;
      }
    }
    await this.run('BEGIN TRANSACTION');
    return this.within(async () => {
      const value = await work();
      await this.run('COMMIT');
      return value;
    });
  }

  /**
   * Runs `statements` (literal SQL, no parameters) as one transaction in ONE call to DuckDB: `BEGIN; ...; COMMIT`
   * sent as a single script. A parameterised `run` costs three hand-overs between DuckDB's thread and the event
   * loop (extract, prepare, execute), a plain one one; on a busy event loop each waits its turn, so a small
   * transaction spends most of its time queued between statements. All or nothing as `transaction`; not nestable.
   */
  async transactionScript(statements: readonly string[]): Promise<void> {
    if (this.transactionDepth > 0) throw new Error('transactionScript cannot join a running transaction');
    // A script stops at its failing statement, inside the transaction (rolled back by `within`); a failed COMMIT
    // has already rolled back, and the ROLLBACK's own error is ignored.
    await this.within(() => traced(statements.join(';\n'), this.connection.run(['BEGIN TRANSACTION', ...statements, 'COMMIT'].join(';\n'))));
  }

  /** The body of a begun transaction: rolled back if `work` throws, then the work queued for its end runs. */
  private async within<T>(work: () => Promise<T>): Promise<T> {
    this.transactionDepth = 1;
    try {
      return await work();
    } catch (error) {
      await this.run('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      this.transactionDepth = 0;
      // Best effort, like the rollback: a failure here must not hide the transaction's own outcome.
      for (const pending of this.onTransactionEnd.splice(0)) await pending().catch(() => undefined);
    }
  }

  /**
   * Runs `work` once the current transaction has ended (committed or rolled back), or now when there is none: for
   * session statements a failed statement's aborted transaction refuses (e.g. restoring a `SET`).
   */
  async afterTransaction(work: () => Promise<unknown>): Promise<void> {
    if (this.transactionDepth === 0) {
      await work();
      return;
    }
    this.onTransactionEnd.push(work);
  }

  /** A fast bulk writer into `table`; the caller must `closeSync()` it (which flushes). */
  async appender(table: string) {
    return this.connection.createAppender(table);
  }

  /** Closes the connection and the database (only the connection for a Store from `connectAnother`); the file is complete on disk afterwards. */
  close(): void {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}

const NUMERIC_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.DOUBLE, DuckDBTypeId.FLOAT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT, DuckDBTypeId.SMALLINT,
  DuckDBTypeId.TINYINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UTINYINT,
  DuckDBTypeId.HUGEINT, DuckDBTypeId.DECIMAL, DuckDBTypeId.BOOLEAN,
]);

/** Quotes an SQL identifier (table or column name); the one place identifiers enter SQL text. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal for the few places DuckDB takes no parameter (file paths in table functions). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function normaliseValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  return value;
}

function normaliseRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row)) out[key] = normaliseValue(row[key]);
  return out;
}
