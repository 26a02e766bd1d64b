import {
  AthenaClient,
  ColumnInfo,
  GetQueryExecutionCommand,
  QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  paginateGetQueryResults,
} from '@aws-sdk/client-athena';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SourceError } from '../../service/types';

/** A result cell: text, a number, or NULL. */
export type Cell = string | number | null;

export interface EngineResult {
  rows: Array<Record<string, Cell>>;
  /** Bytes the engine scanned to answer. */
  bytesScanned: number;
  /** AWS requests made (Athena's Start/Get/GetQueryResults pages; 0 for DuckDB). */
  calls: number;
}

/** Which billing periods (YYYY-MM, inclusive) a query reads: the partitions it prunes to. */
export interface PartitionRange {
  from: string;
  to: string;
}

/** Runs the export source's SQL over a data export: DuckDB on local Parquet, or Athena over S3. */
export interface QueryEngine {
  /** How the SQL names the export's table (a FROM clause item). */
  readonly table: string;
  /** A short name for logs and errors. */
  readonly name: string;
  run(
    sql: string,
    options: { partitions: PartitionRange; signal?: AbortSignal },
  ): Promise<EngineResult>;
  close?(): Promise<void>;
}

/** A DuckDB value as a result cell: text and numbers as they are, BIGINT as a number. */
function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number(value);
  return String(value);
}

/** Every Parquet file under a folder, with its hive partition `billing_period` when its path has one. */
async function parquetFiles(
  root: string,
): Promise<Array<{ file: string; size: number; period?: string }>> {
  const found: Array<{ file: string; size: number; period?: string }> = [];
  const walk = async (dir: string, period?: string) => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        const match = /^billing_period=(.+)$/i.exec(entry.name);
        await walk(full, match ? match[1] : period);
      } else if (entry.name.endsWith('.parquet')) {
        found.push({ file: full, size: (await fs.stat(full)).size, period });
      }
    }
  };
  await walk(root);
  return found;
}

/**
 * DuckDB over a local copy of the export (the embedded default and the tests): the Parquet files
 * under `folder`, hive-partitioned by BILLING_PERIOD. Bytes scanned are the sizes of the files in
 * the partitions a query reads (DuckDB prunes the others by folder name).
 */
export class DuckDbEngine implements QueryEngine {
  readonly name = 'DuckDB';
  readonly table: string;
  private connection?: Promise<{
    instance: DuckDBInstance;
    connection: DuckDBConnection;
  }>;

  constructor(private readonly folder: string) {
    const glob = path.join(folder, '**', '*.parquet').replace(/'/g, "''");
    this.table = `read_parquet('${glob}', hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`;
  }

  private connect() {
    this.connection ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:', {
        threads: '2',
      });
      const connection = await instance.connect();
      // Export timestamps are UTC; days and months are cut in UTC, as the bill's.
      await connection.run("SET TimeZone = 'UTC'");
      return { instance, connection };
    })();
    return this.connection;
  }

  async run(
    sql: string,
    options: { partitions: PartitionRange; signal?: AbortSignal },
  ): Promise<EngineResult> {
    options.signal?.throwIfAborted();
    const files = await parquetFiles(this.folder);
    if (files.length === 0)
      throw new SourceError(
        'ExportNotFound',
        `No Parquet files under ${this.folder} (cost.dataExport.path): point it at the folder the CUR 2.0 ` +
          'export is copied to (its data/BILLING_PERIOD=YYYY-MM/*.parquet folders)',
      );
    const { connection } = await this.connect();
    // An abort (the replica stopping, the refresh's timeout) interrupts the running query.
    const interrupt = () => connection.interrupt();
    options.signal?.addEventListener('abort', interrupt, { once: true });
    let reader;
    try {
      reader = await connection.runAndReadAll(sql);
    } catch (error) {
      options.signal?.throwIfAborted();
      throw new SourceError(
        'QueryFailed',
        `DuckDB query over ${this.folder} failed: ${(error as Error).message}`,
      );
    } finally {
      options.signal?.removeEventListener('abort', interrupt);
    }
    const rows = reader.getRowObjectsJS().map(row => {
      const out: Record<string, Cell> = {};
      for (const [key, value] of Object.entries(row)) out[key] = toCell(value);
      return out;
    });
    const { from, to } = options.partitions;
    const bytesScanned = files
      .filter(f => !f.period || (f.period >= from && f.period <= to))
      .reduce((sum, f) => sum + f.size, 0);
    return { rows, bytesScanned, calls: 0 };
  }

  async close() {
    const open = this.connection;
    this.connection = undefined;
    if (!open) return;
    const { instance, connection } = await open;
    connection.closeSync();
    instance.closeSync();
  }
}

export interface AthenaSettings {
  database: string;
  table: string;
  workGroup: string;
  /** s3:// prefix for query results; may be left out when the workgroup sets one. */
  outputLocation?: string;
  /** The Glue Data Catalog (default AwsDataCatalog). */
  catalog?: string;
}

export interface PollOptions {
  /** First wait before GetQueryExecution, ms (default 200); doubled each time up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Gives up (and stops the query) after this long, ms (default 10 minutes). */
  timeoutMs?: number;
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Sleeps `ms`, or rejects as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: NodeJS.Timeout | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Athena's result cell as its column's type says (varchar, double, bigint, boolean, ...). */
function parseCell(value: string | undefined, column: ColumnInfo): Cell {
  if (value === undefined) return null;
  switch ((column.Type ?? 'varchar').toLowerCase()) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
    case 'bigint':
    case 'double':
    case 'float':
    case 'real':
    case 'decimal':
      return Number(value);
    default:
      return value;
  }
}

/**
 * Athena over the export in S3 (production): StartQueryExecution, GetQueryExecution polled with
 * backoff until SUCCEEDED, FAILED or CANCELLED, then every page of GetQueryResults (the SDK's
 * paginator; the first row of the first page is the header). An abort stops polling and stops the
 * query (StopQueryExecution) so it is not billed to the end.
 */
export class AthenaEngine implements QueryEngine {
  readonly name = 'Athena';
  readonly table: string;

  constructor(
    private readonly client: AthenaClient,
    private readonly settings: AthenaSettings,
    private readonly poll: PollOptions = {},
  ) {
    this.table = `${quoteIdentifier(settings.database)}.${quoteIdentifier(
      settings.table,
    )}`;
  }

  async run(
    sql: string,
    options: { partitions: PartitionRange; signal?: AbortSignal },
  ): Promise<EngineResult> {
    const { signal } = options;
    let calls = 0;
    const send = async <T>(operation: string, call: () => Promise<T>) => {
      signal?.throwIfAborted();
      try {
        const output = await call();
        calls += 1;
        return output;
      } catch (error) {
        signal?.throwIfAborted();
        const e = error as { name?: string; message?: string };
        throw new SourceError(
          e.name ?? 'Error',
          `Athena ${operation} (workgroup ${this.settings.workGroup}) failed: ${
            e.message ?? String(error)
          }`,
        );
      }
    };
    const started = await send('StartQueryExecution', () =>
      this.client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          WorkGroup: this.settings.workGroup,
          QueryExecutionContext: {
            Database: this.settings.database,
            Catalog: this.settings.catalog,
          },
          ResultConfiguration: this.settings.outputLocation
            ? { OutputLocation: this.settings.outputLocation }
            : undefined,
        }),
        // Not aborted midway: with its id, a query started just before an abort can still be stopped.
      ),
    );
    const id = started.QueryExecutionId!;
    let execution: QueryExecution | undefined;
    try {
      execution = await this.waitFor(id, send, signal);
    } catch (error) {
      if (signal?.aborted || (error as SourceError).code === 'QueryTimeout') {
        // Stop the query: Athena bills the bytes it goes on scanning.
        await this.client
          .send(new StopQueryExecutionCommand({ QueryExecutionId: id }))
          .then(() => (calls += 1))
          .catch(() => undefined);
      }
      throw error;
    }
    const status = execution.Status;
    if (status?.State === 'FAILED') {
      const athenaError = status.AthenaError;
      throw new SourceError(
        athenaError?.ErrorType !== undefined
          ? `AthenaError${athenaError.ErrorType}`
          : 'QueryFailed',
        `Athena query ${id} failed: ${
          status.StateChangeReason ??
          athenaError?.ErrorMessage ??
          'no reason given'
        }`,
      );
    }
    if (status?.State === 'CANCELLED')
      throw new SourceError(
        'QueryCancelled',
        `Athena query ${id} was cancelled${
          status.StateChangeReason ? `: ${status.StateChangeReason}` : ''
        }`,
      );

    const rows: Array<Record<string, Cell>> = [];
    let columns: ColumnInfo[] | undefined;
    try {
      for await (const page of paginateGetQueryResults(
        { client: this.client, pageSize: 1000 },
        { QueryExecutionId: id },
        { abortSignal: signal },
      )) {
        calls += 1;
        const first = columns === undefined;
        columns ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
        const data = page.ResultSet?.Rows ?? [];
        // A SELECT's results start with a header row naming the columns, on the first page only.
        for (const row of first ? data.slice(1) : data) {
          const out: Record<string, Cell> = {};
          columns.forEach((column, i) => {
            out[column.Name ?? `_${i}`] = parseCell(
              row.Data?.[i]?.VarCharValue,
              column,
            );
          });
          rows.push(out);
        }
      }
    } catch (error) {
      signal?.throwIfAborted();
      const e = error as { name?: string; message?: string };
      throw new SourceError(
        e.name ?? 'Error',
        `Athena GetQueryResults of ${id} failed: ${e.message ?? String(error)}`,
      );
    }
    return {
      rows,
      bytesScanned: execution.Statistics?.DataScannedInBytes ?? 0,
      calls,
    };
  }

  private async waitFor(
    id: string,
    send: <T>(operation: string, call: () => Promise<T>) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<QueryExecution> {
    let delay = this.poll.initialDelayMs ?? 200;
    const maxDelay = this.poll.maxDelayMs ?? 5000;
    const timeout = this.poll.timeoutMs ?? 10 * 60 * 1000;
    let waited = 0;
    for (;;) {
      await sleep(delay, signal);
      waited += delay;
      const { QueryExecution: execution } = await send(
        'GetQueryExecution',
        () =>
          this.client.send(
            new GetQueryExecutionCommand({ QueryExecutionId: id }),
            { abortSignal: signal },
          ),
      );
      const state = execution?.Status?.State;
      if (state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED')
        return execution!;
      if (waited >= timeout)
        throw new SourceError(
          'QueryTimeout',
          `Athena query ${id} was still ${state} after ${Math.round(
            waited / 1000,
          )} s; it was stopped`,
        );
      delay = Math.min(maxDelay, delay * 2);
    }
  }
}
