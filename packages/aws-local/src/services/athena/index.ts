import { randomUUID } from 'node:crypto';
import { awsJsonProtocol } from '../../protocols/awsJson';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../../protocols/types';
import { CUR_EXPORTER_STATE, CurExporter } from '../../exports/CurExporter';
import {
  AthenaCatalog,
  AthenaEngine,
  DATA_CATALOG,
  DEFAULT_ATHENA_CATALOG,
  QueryFailure,
  QueryOutcome,
} from './engine';

/** State key of a server's Athena settings (startAwsLocal's `athena` option). */
export const ATHENA_CATALOG_STATE = 'athena:catalog';

/** GetQueryResults returns at most this many rows a page (AWS: MaxResults 1-1000). */
export const ATHENA_MAX_RESULTS = 1000;
const MAX_QUERY_LENGTH = 262_144;
const WORK_GROUP = /^[a-zA-Z0-9._-]{1,128}$/;

/** ColumnInfo.Precision as Athena reports it for its common types. */
const PRECISION: Record<string, number> = {
  varchar: 2147483647,
  double: 17,
  bigint: 19,
  integer: 10,
};

type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

interface Execution {
  id: string;
  accountId: string;
  query: string;
  database: string;
  catalog: string;
  workGroup: string;
  outputLocation: string;
  token?: string;
  fingerprint: string;
  submitted: Date;
  /** GetQueryExecution calls so far: the state shows QUEUED, then RUNNING, then the outcome. */
  polls: number;
  cancelled?: Date;
  completed?: Date;
  outcome?: QueryOutcome;
  failure?: QueryFailure;
  done: Promise<void>;
}

interface AthenaState {
  engine: AthenaEngine;
  catalog: AthenaCatalog;
  executions: Map<string, Execution>;
  tokens: Map<string, string>;
}

function invalid(message: string, code = 'INVALID_INPUT'): never {
  throw new AwsError('InvalidRequestException', message, 400, 'Sender', {
    members: { AthenaErrorCode: code },
  });
}

function athena(ctx: CallContext): AthenaState {
  return ctx.state<AthenaState>('athena', () => {
    const catalog = ctx.state<AthenaCatalog>(
      ATHENA_CATALOG_STATE,
      () => DEFAULT_ATHENA_CATALOG,
    );
    const exporter = ctx.state<CurExporter | undefined>(
      CUR_EXPORTER_STATE,
      () => undefined,
    );
    if (!exporter)
      throw new AwsError(
        'InternalServerException',
        'this aws-local server has no CUR export to query',
        500,
        'Receiver',
      );
    return {
      catalog,
      engine: new AthenaEngine(
        catalog,
        async () => (await exporter.current()).dataDir,
      ),
      executions: new Map(),
      tokens: new Map(),
    };
  });
}

/** Athena's own text for ExecutionParameters: each `?` outside quotes takes the next value as SQL. */
function bindParameters(query: string, parameters: string[]): string {
  let out = '';
  let next = 0;
  let quote: string | undefined;
  for (const ch of query) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      if (next >= parameters.length)
        throw new QueryFailure(
          'INVALID_PARAMETER_USAGE',
          `Incorrect number of parameters: expected at least ${
            next + 1
          } but found ${parameters.length}`,
        );
      out += parameters[next++];
    } else out += ch;
  }
  if (next !== parameters.length)
    throw new QueryFailure(
      'INVALID_PARAMETER_USAGE',
      `Incorrect number of parameters: expected ${next} but found ${parameters.length}`,
    );
  return out;
}

function execute(
  state: AthenaState,
  execution: Execution,
  parameters: string[],
) {
  return (async () => {
    try {
      const sql = bindParameters(execution.query, parameters);
      execution.outcome = await state.engine.run(sql, execution.database);
    } catch (error) {
      execution.failure =
        error instanceof QueryFailure
          ? error
          : new QueryFailure(
              'GENERIC_INTERNAL_ERROR',
              (error as Error).message,
              1,
              200,
            );
    }
  })();
}

function startQueryExecution(input: any, ctx: CallContext) {
  const state = athena(ctx);
  const query = input.QueryString;
  if (typeof query !== 'string' || query.length < 1)
    invalid('QueryString is required: the SQL statement to run');
  if (query.length > MAX_QUERY_LENGTH)
    invalid(
      `QueryString is ${query.length} characters; Athena takes at most ${MAX_QUERY_LENGTH}`,
    );
  const token = input.ClientRequestToken;
  if (
    token !== undefined &&
    (typeof token !== 'string' || token.length < 32 || token.length > 128)
  )
    invalid('ClientRequestToken must be 32 to 128 characters');
  const workGroup: string = input.WorkGroup ?? 'primary';
  if (!WORK_GROUP.test(workGroup))
    invalid(`WorkGroup '${workGroup}' is not a valid work group name`);
  const context = input.QueryExecutionContext ?? {};
  const catalog: string = context.Catalog ?? 'AwsDataCatalog';
  if (catalog.toLowerCase() !== DATA_CATALOG)
    invalid(
      `Catalog '${catalog}' is not found; this account has the AwsDataCatalog only`,
      'CATALOG_NOT_FOUND',
    );
  const database: string = context.Database ?? 'default';
  const output: string | undefined = input.ResultConfiguration?.OutputLocation;
  if (
    output !== undefined &&
    !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(output)
  )
    invalid(
      `ResultConfiguration.OutputLocation '${output}' is not an S3 location: use s3://bucket/prefix/`,
    );
  // The primary work group writes results to the estate's query-results bucket.
  const outputLocation =
    output ?? `s3://athena-query-results-${ctx.estate.managementAccount.id}/`;
  const parameters: string[] = input.ExecutionParameters ?? [];
  if (
    !Array.isArray(parameters) ||
    parameters.some(p => typeof p !== 'string' || p.length < 1)
  )
    invalid('ExecutionParameters must be a list of non-empty strings');
  const fingerprint = JSON.stringify([
    query,
    database,
    catalog,
    workGroup,
    outputLocation,
    parameters,
  ]);
  if (token !== undefined) {
    const earlier = state.executions.get(
      state.tokens.get(`${ctx.account.id}:${token}`) ?? '',
    );
    if (earlier) {
      if (earlier.fingerprint !== fingerprint)
        invalid(
          'Idempotent parameters do not match: this ClientRequestToken started another query',
        );
      return { QueryExecutionId: earlier.id };
    }
  }
  const id = randomUUID();
  const execution: Execution = {
    id,
    accountId: ctx.account.id,
    query,
    database,
    catalog,
    workGroup,
    outputLocation: `${outputLocation.replace(/\/?$/, '/')}${id}.csv`,
    token,
    fingerprint,
    submitted: ctx.now,
    polls: 0,
    done: Promise.resolve(),
  };
  execution.done = execute(state, execution, parameters);
  state.executions.set(id, execution);
  if (token !== undefined) state.tokens.set(`${ctx.account.id}:${token}`, id);
  return { QueryExecutionId: id };
}

function findExecution(input: any, ctx: CallContext): Execution {
  const id = input.QueryExecutionId;
  if (typeof id !== 'string' || id.length < 1)
    invalid('QueryExecutionId is required');
  const execution = athena(ctx).executions.get(id);
  // Another account's query is as unknown as one never started.
  if (!execution || execution.accountId !== ctx.account.id)
    invalid(`QueryExecution ${id} was not found`);
  return execution;
}

/** The state as shown: QUEUED on the first look, RUNNING on the second, then the outcome. */
async function shownState(execution: Execution, poll: boolean): Promise<State> {
  if (execution.cancelled) return 'CANCELLED';
  const seen = poll ? ++execution.polls : execution.polls;
  if (seen <= 1) return 'QUEUED';
  if (seen === 2) return 'RUNNING';
  await execution.done;
  return execution.failure ? 'FAILED' : 'SUCCEEDED';
}

function statistics(execution: Execution, state: State, now: Date) {
  const final =
    state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';
  const engineMs = execution.outcome?.engineMs ?? 0;
  const queueMs = 40;
  const planningMs = 15;
  const total = final
    ? queueMs + planningMs + engineMs + 20
    : Math.max(0, now.getTime() - execution.submitted.getTime());
  return {
    EngineExecutionTimeInMillis: final ? engineMs : 0,
    // Athena bills the bytes read; a failed or cancelled query read none here.
    DataScannedInBytes:
      state === 'SUCCEEDED' ? execution.outcome?.scannedBytes ?? 0 : 0,
    TotalExecutionTimeInMillis: total,
    QueryQueueTimeInMillis: state === 'QUEUED' ? total : queueMs,
    ServicePreProcessingTimeInMillis: final ? 5 : undefined,
    QueryPlanningTimeInMillis: final ? planningMs : undefined,
    ServiceProcessingTimeInMillis: final ? 15 : undefined,
    ResultReuseInformation: { ReusedPreviousResult: false },
  };
}

async function getQueryExecution(input: any, ctx: CallContext) {
  const execution = findExecution(input, ctx);
  const state = await shownState(execution, true);
  const final =
    state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';
  if (final && !execution.completed)
    execution.completed = execution.cancelled ?? ctx.now;
  const failure = state === 'FAILED' ? execution.failure : undefined;
  return {
    QueryExecution: {
      QueryExecutionId: execution.id,
      Query: execution.query,
      StatementType: 'DML',
      SubstatementType: 'SELECT',
      ResultConfiguration: { OutputLocation: execution.outputLocation },
      ResultReuseConfiguration: {
        ResultReuseByAgeConfiguration: { Enabled: false },
      },
      QueryExecutionContext: {
        Database: execution.database,
        Catalog: execution.catalog,
      },
      Status: {
        State: state,
        SubmissionDateTime: execution.submitted,
        ...(final ? { CompletionDateTime: execution.completed } : {}),
        ...(failure
          ? {
              StateChangeReason: failure.message,
              AthenaError: {
                ErrorCategory: failure.category,
                ErrorType: failure.errorType,
                Retryable: false,
                ErrorMessage: failure.message,
              },
            }
          : {}),
        ...(state === 'CANCELLED'
          ? { StateChangeReason: 'Query was cancelled by user' }
          : {}),
      },
      Statistics: statistics(execution, state, ctx.now),
      WorkGroup: execution.workGroup,
      EngineVersion: {
        SelectedEngineVersion: 'AUTO',
        EffectiveEngineVersion: 'Athena engine version 3',
      },
    },
  };
}

function pageToken(id: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: id, o: offset })).toString('base64');
}

async function getQueryResults(input: any, ctx: CallContext) {
  const execution = findExecution(input, ctx);
  const size = input.MaxResults ?? ATHENA_MAX_RESULTS;
  if (!Number.isInteger(size) || size < 1 || size > ATHENA_MAX_RESULTS)
    invalid(
      `1 validation error detected: Value '${size}' at 'maxResults' failed to satisfy constraint: Member must have value ${
        size < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'
      }`,
    );
  const state = await shownState(execution, false);
  if (state === 'QUEUED' || state === 'RUNNING')
    invalid(`Query has not yet finished. Current state: ${state}`);
  if (state === 'CANCELLED') invalid('Query was cancelled by user');
  if (state === 'FAILED') invalid(execution.failure!.message);
  const outcome = execution.outcome!;
  let offset = 0;
  if (input.NextToken !== undefined) {
    try {
      const token = JSON.parse(
        Buffer.from(String(input.NextToken), 'base64').toString('utf8'),
      );
      if (token.q !== execution.id || !Number.isInteger(token.o))
        throw new Error();
      offset = token.o;
    } catch {
      invalid('NextToken is not valid for this query execution');
    }
  }
  // The header row (the column names) is the first row of the first page, as for any SELECT.
  const all = outcome.rows.length + 1;
  const rows: Array<{ Data: Array<{ VarCharValue?: string }> }> = [];
  for (let i = offset; i < Math.min(all, offset + size); i++) {
    const values =
      i === 0 ? outcome.columns.map(c => c.name) : outcome.rows[i - 1];
    rows.push({
      Data: values.map(v => (v === null ? {} : { VarCharValue: v })),
    });
  }
  const next = offset + rows.length;
  return {
    UpdateCount: 0,
    ResultSet: {
      Rows: rows,
      ResultSetMetadata: {
        ColumnInfo: outcome.columns.map(c => ({
          CatalogName: 'hive',
          SchemaName: '',
          TableName: '',
          Name: c.name,
          Label: c.name,
          Type: c.type,
          Precision: PRECISION[c.type] ?? 0,
          Scale: 0,
          Nullable: 'UNKNOWN',
          CaseSensitive: c.type === 'varchar',
        })),
      },
    },
    NextToken: next < all ? pageToken(execution.id, next) : undefined,
  };
}

async function stopQueryExecution(input: any, ctx: CallContext) {
  const execution = findExecution(input, ctx);
  const state = await shownState(execution, false);
  // Stopping a query that already ended changes nothing (and succeeds).
  if (state === 'QUEUED' || state === 'RUNNING') execution.cancelled = ctx.now;
  return {};
}

/** Amazon Athena over awsJson1_1, running queries with DuckDB over the estate's CUR export. */
export const athenaService: AwsServiceDefinition = {
  signingName: 'athena',
  statsPrefix: 'athena',
  protocol: awsJsonProtocol('1.1', 'AmazonAthena', {
    throttling: { code: 'TooManyRequestsException', status: 400 },
  }),
  operations: {
    StartQueryExecution: startQueryExecution,
    GetQueryExecution: getQueryExecution,
    GetQueryResults: getQueryResults,
    StopQueryExecution: stopQueryExecution,
  },
};

/** Closes a server's Athena engine (its DuckDB instance), if it was ever used. */
export async function closeAthena(
  state: <T>(key: string, create: () => T) => T,
) {
  const athenaState = state<AthenaState | undefined>('athena', () => undefined);
  await athenaState?.engine.close();
}
