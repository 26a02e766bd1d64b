import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBTimestampValue,
  DuckDBType,
  DuckDBValue,
  StatementType,
} from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The Glue Data Catalog as the loopback's Athena sees it: one database with the CUR table. */
export interface AthenaCatalog {
  /** Glue database of the CUR table (default `payments_cost`). */
  database: string;
  /** The CUR 2.0 table (default `cur2`). */
  table: string;
}

export const DEFAULT_ATHENA_CATALOG: AthenaCatalog = {
  database: 'payments_cost',
  table: 'cur2',
};

/** Athena's only catalog here: the Glue Data Catalog, `AwsDataCatalog` (identifiers fold to lower case). */
export const DATA_CATALOG = 'awsdatacatalog';

export interface QueryOutcome {
  columns: Array<{ name: string; type: string }>;
  rows: Array<Array<string | null>>;
  engineMs: number;
  scannedBytes: number;
}

/** A query Athena would run but that fails: Trino's error name and message, e.g. TABLE_NOT_FOUND. */
export class QueryFailure extends Error {
  constructor(
    readonly errorName: string,
    message: string,
    readonly category: 1 | 2 | 3 = 2,
    readonly errorType = 1000,
  ) {
    super(`${errorName}: ${message}`);
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Runs Athena's SQL with DuckDB over the export's Parquet files: the catalog `awsdatacatalog`,
 * the database a schema, the table a view over read_parquet(glob, hive_partitioning), so that
 * `cur2`, `payments_cost.cur2` and `"awsdatacatalog"."payments_cost"."cur2"` all resolve. The
 * engine may read the export's folder only.
 */
export class AthenaEngine {
  private instance?: Promise<DuckDBInstance>;
  /** Where DuckDB writes each query's profile (which files it read), removed on close. */
  private profiles?: string;

  constructor(
    private readonly catalog: AthenaCatalog,
    private readonly dataDir: () => Promise<string>,
  ) {}

  private async open(): Promise<DuckDBInstance> {
    const dataDir = await this.dataDir();
    this.profiles = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-local-athena-'));
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const setup = await instance.connect();
    try {
      const glob = `${dataDir}/*/*.parquet`.replace(/'/g, "''");
      await setup.run(`ATTACH ':memory:' AS ${DATA_CATALOG}`);
      await setup.run(`USE ${DATA_CATALOG}`);
      await setup.run(`CREATE SCHEMA ${quote(this.catalog.database)}`);
      await setup.run(`CREATE SCHEMA IF NOT EXISTS "default"`);
      // Trino's element_at(map, key) is the value (NULL when absent); DuckDB's is a list.
      for (const schema of new Set([this.catalog.database, 'default']))
        await setup.run(
          `CREATE MACRO ${quote(schema)}.element_at(m, k) AS m[k]`,
        );
      await setup.run(
        `CREATE VIEW ${quote(this.catalog.database)}.${quote(
          this.catalog.table,
        )} AS SELECT * FROM read_parquet('${glob}', hive_partitioning = true, union_by_name = true)`,
      );
      const allowed = [dataDir, this.profiles]
        .map(dir => `'${dir.replace(/'/g, "''")}/'`)
        .join(', ');
      await setup.run(`SET allowed_directories = [${allowed}]`);
      // One way: queries can read the export (and write their profile), nothing else.
      await setup.run('SET enable_external_access = false');
    } finally {
      setup.closeSync();
    }
    return instance;
  }

  /** Bytes of the table's Parquet files, and how many there are. */
  private async tableFiles(): Promise<{ bytes: number; files: number }> {
    const dataDir = await this.dataDir();
    let bytes = 0;
    let files = 0;
    for (const partition of fs.readdirSync(dataDir)) {
      const folder = `${dataDir}/${partition}`;
      if (!fs.statSync(folder).isDirectory()) continue;
      for (const file of fs.readdirSync(folder)) {
        if (!file.endsWith('.parquet')) continue;
        bytes += fs.statSync(`${folder}/${file}`).size;
        files += 1;
      }
    }
    return { bytes, files };
  }

  async run(sql: string, database: string): Promise<QueryOutcome> {
    // The export as of now: rewritten first if the estate's day (or its tags) moved on.
    await this.dataDir();
    this.instance ??= this.open();
    const instance = await this.instance;
    const connection = await instance.connect();
    try {
      const statements = await connection
        .extractStatements(sql)
        .catch(error => {
          throw translateError(error as Error, sql, database);
        });
      if (statements.count !== 1)
        throw new QueryFailure(
          'SYNTAX_ERROR',
          `Only one sql statement is allowed. Got: ${statements.count}`,
          2,
          1000,
        );
      const schemas = await connection.runAndReadAll(
        `SELECT schema_name FROM information_schema.schemata WHERE catalog_name = '${DATA_CATALOG}'`,
      );
      const known = schemas.getRows().map(r => String(r[0]));
      if (!known.includes(database.toLowerCase()))
        throw new QueryFailure(
          'SCHEMA_NOT_FOUND',
          `Schema '${database.toLowerCase()}' does not exist`,
        );
      await connection.run(
        `USE ${DATA_CATALOG}.${quote(database.toLowerCase())}`,
      );
      const prepared = await statements.prepare(0).catch(error => {
        throw translateError(error as Error, sql, database);
      });
      // Athena here reads the Glue catalog's tables: SELECT (and WITH ... SELECT) only.
      if (prepared.statementType !== StatementType.SELECT)
        throw new QueryFailure(
          'NOT_SUPPORTED',
          "aws-local's Athena runs SELECT queries only (the Glue catalog is read-only here)",
        );
      const profile = path.join(this.profiles!, `${randomUUID()}.json`);
      await connection.run(`SET enable_profiling = 'json'`);
      await connection.run(`SET profiling_output = '${profile}'`);
      const started = Date.now();
      const reader = await prepared.runAndReadAll().catch(error => {
        throw translateError(error as Error, sql, database);
      });
      const engineMs = Date.now() - started;
      await connection.run(`SET enable_profiling = 'no_output'`);
      const scanned = await this.scannedBytes(profile);
      const types = reader.columnTypes();
      const columns = reader.columnNames().map((name, i) => ({
        // Trino folds unquoted names to lower case and names unaliased expressions _colN.
        name: IDENTIFIER.test(name) ? name.toLowerCase() : `_col${i}`,
        type: athenaType(types[i]),
      }));
      const rows = reader
        .getRows()
        .map(row => row.map((value, i) => formatValue(value, types[i])));
      return { columns, rows, engineMs, scannedBytes: scanned };
    } finally {
      connection.closeSync();
    }
  }

  /**
   * Athena bills the bytes it reads: here, the Parquet files of the partitions the query read
   * (partition pruning applied), from DuckDB's profile of the query.
   */
  private async scannedBytes(profileFile: string): Promise<number> {
    let profile: any;
    try {
      profile = JSON.parse(fs.readFileSync(profileFile, 'utf8'));
    } catch {
      return 0;
    } finally {
      fs.rmSync(profileFile, { force: true });
    }
    const { bytes, files } = await this.tableFiles();
    let scanned = 0;
    const visit = (node: any) => {
      const info = node?.extra_info ?? {};
      if (
        node?.operator_type === 'TABLE_SCAN' &&
        info.Function === 'READ_PARQUET'
      ) {
        const names = String(info['Filename(s)'] ?? '');
        const read = Number(info['Total Files Read'] ?? files);
        if (names && !names.includes('*') && !names.endsWith('...'))
          scanned += names
            .split(', ')
            .reduce(
              (sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0),
              0,
            );
        else scanned += files === 0 ? 0 : Math.round((bytes * read) / files);
      }
      (node?.children ?? []).forEach(visit);
    };
    visit(profile);
    return scanned;
  }

  async close() {
    const instance = await this.instance?.catch(() => undefined);
    instance?.closeSync();
    if (this.profiles)
      fs.rmSync(this.profiles, { recursive: true, force: true });
  }
}

/** Trino's type names for DuckDB's (what ColumnInfo.Type says). */
function athenaType(type: DuckDBType): string {
  const name = type.toString().toUpperCase();
  if (name === 'VARCHAR') return 'varchar';
  if (name === 'DOUBLE') return 'double';
  if (name === 'FLOAT') return 'real';
  if (name === 'BIGINT' || name === 'HUGEINT' || name === 'UBIGINT')
    return 'bigint';
  if (name === 'INTEGER' || name === 'UINTEGER') return 'integer';
  if (name === 'SMALLINT' || name === 'USMALLINT') return 'smallint';
  if (name === 'TINYINT' || name === 'UTINYINT') return 'tinyint';
  if (name === 'BOOLEAN') return 'boolean';
  if (name === 'DATE') return 'date';
  if (name.startsWith('TIMESTAMP')) return 'timestamp';
  if (name.startsWith('DECIMAL')) return 'decimal';
  if (name.startsWith('MAP')) return 'map';
  if (name.endsWith('[]') || name.startsWith('LIST')) return 'array';
  if (name.startsWith('STRUCT')) return 'row';
  return 'varchar';
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const text = String(value);
  // Java's Double.toString: 1.0E-7 rather than 1e-7.
  const exp = /^(-?\d+)(?:\.(\d+))?e([+-]?\d+)$/.exec(text);
  if (exp) return `${exp[1]}.${exp[2] ?? '0'}E${exp[3].replace('+', '')}`;
  return text;
}

/** One value as Athena's VarCharValue; null stays null (an empty Datum). */
function formatValue(value: DuckDBValue, type: DuckDBType): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    const name = type.toString().toUpperCase();
    return name === 'DOUBLE' || name === 'FLOAT'
      ? formatNumber(value)
      : String(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof DuckDBTimestampValue) {
    const text = value.toString();
    return /\.\d+$/.test(text) ? text : `${text}.000`;
  }
  if (value instanceof DuckDBDateValue || value instanceof DuckDBDecimalValue)
    return value.toString();
  if (value instanceof DuckDBMapValue)
    return `{${value.entries
      .map(
        e =>
          `${formatValue(e.key, type) ?? 'null'}=${
            formatValue(e.value, type) ?? 'null'
          }`,
      )
      .join(', ')}}`;
  if (value instanceof DuckDBListValue)
    return `[${value.items
      .map(v => formatValue(v, type) ?? 'null')
      .join(', ')}]`;
  return String(value);
}

/** line:column (1-based) of `index` in `sql`. */
function position(sql: string, index: number): string {
  const before = sql.slice(0, Math.max(0, index));
  const line = before.split('\n').length;
  const column = index - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${column}`;
}

const NAME_PART = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;

/** Where a (possibly qualified) name ending in `name` is written in the SQL, and its parts. */
function findName(
  sql: string,
  name: string,
  after?: RegExp,
): { index: number; parts: string[] } | undefined {
  const chain = new RegExp(
    String.raw`${NAME_PART}(?:\s*\.\s*${NAME_PART})*`,
    'g',
  );
  const unquote = (part: string) =>
    part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part;
  for (const match of sql.matchAll(chain)) {
    const parts = match[0]
      .split(new RegExp(String.raw`\s*\.\s*(?=(?:"|[A-Za-z_]))`))
      .map(unquote);
    if (parts[parts.length - 1].toLowerCase() !== name.toLowerCase()) continue;
    if (after && !after.test(sql.slice(0, match.index))) continue;
    return { index: match.index!, parts };
  }
  return undefined;
}

/** DuckDB's error, in the words Athena (Trino) uses for the same mistake. */
export function translateError(
  error: Error,
  sql: string,
  database: string,
): QueryFailure {
  if (error instanceof QueryFailure) return error;
  const message = error.message ?? String(error);
  const firstLine = message.split('\n')[0];
  const table = /Table with name ([^\s!]+) does not exist/.exec(message);
  if (table) {
    const found = findName(sql, table[1], /(FROM|JOIN)\s*$/i);
    const parts = found?.parts ?? [table[1]];
    const [cat, db, name] = [
      ...Array(Math.max(0, 3 - parts.length)).fill(undefined),
      ...parts,
    ].slice(-3);
    const qualified = `${(cat ?? DATA_CATALOG).toLowerCase()}.${(
      db ?? database
    ).toLowerCase()}.${String(name).toLowerCase()}`;
    return new QueryFailure(
      'TABLE_NOT_FOUND',
      `line ${
        found ? position(sql, found.index) : '1:1'
      }: Table '${qualified}' does not exist`,
    );
  }
  const schema = /Schema with name "?([^\s"!]+)"? does not exist/.exec(message);
  if (schema)
    return new QueryFailure(
      'SCHEMA_NOT_FOUND',
      `line ${
        findName(sql, schema[1])
          ? position(sql, findName(sql, schema[1])!.index)
          : '1:1'
      }: Schema '${schema[1].toLowerCase()}' does not exist`,
    );
  const column = /Referenced column "?([^\s"]+)"? not found/.exec(message);
  if (column) {
    const found = findName(sql, column[1]);
    return new QueryFailure(
      'COLUMN_NOT_FOUND',
      `line ${
        found ? position(sql, found.index) : '1:1'
      }: Column '${column[1].toLowerCase()}' cannot be resolved`,
    );
  }
  const fn =
    /(?:Scalar|Aggregate|Table) Function with name "?([^\s"]+)"? does not exist/.exec(
      message,
    );
  if (fn) {
    const found = findName(sql, fn[1]);
    return new QueryFailure(
      'FUNCTION_NOT_FOUND',
      `line ${
        found ? position(sql, found.index) : '1:1'
      }: Function '${fn[1].toLowerCase()}' not registered`,
    );
  }
  if (/^Parser Error/.test(message)) {
    const near = /at or near "([^"]*)"/.exec(message);
    const index = near ? sql.indexOf(near[1]) : -1;
    return new QueryFailure(
      'SYNTAX_ERROR',
      `line ${index >= 0 ? position(sql, index) : '1:1'}: ${
        near ? `mismatched input '${near[1]}'` : firstLine
      }`,
    );
  }
  if (/^Permission Error/.test(message))
    return new QueryFailure(
      'PERMISSION_DENIED',
      `Access denied: ${firstLine.replace(/^Permission Error: /, '')}`,
    );
  if (/^(Binder|Conversion|Invalid Input|Catalog) Error/.test(message))
    return new QueryFailure(
      'GENERIC_USER_ERROR',
      firstLine.replace(/^[A-Za-z ]+ Error: /, ''),
    );
  return new QueryFailure('GENERIC_INTERNAL_ERROR', firstLine, 1, 200);
}
