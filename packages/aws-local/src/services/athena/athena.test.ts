import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  QueryExecutionState,
  Row,
  StartQueryExecutionCommand,
  StartQueryExecutionCommandInput,
  StopQueryExecutionCommand,
  paginateGetQueryResults,
} from '@aws-sdk/client-athena';
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
} from '@aws-sdk/client-cost-explorer';
import fs from 'node:fs';
import path from 'node:path';
import { awsLocalClientConfig } from '../../clientConfig';
import { AwsLocal, startAwsLocal } from '../../server/AwsLocalServer';
import { assumedConfig, PROD } from '../__testUtils__/clients';

const AS_OF = '2026-11-25';
const CONTEXT = {
  QueryExecutionContext: {
    Database: 'payments_cost',
    Catalog: 'AwsDataCatalog',
  },
  WorkGroup: 'primary',
  ResultConfiguration: {
    OutputLocation: 's3://athena-query-results-604913285577/portal/',
  },
};

describe('Athena on the loopback endpoint, over the CUR export', () => {
  jest.setTimeout(30_000);
  let aws: AwsLocal;
  let athena: AthenaClient;

  const start = async (
    QueryString: string,
    extra: Partial<StartQueryExecutionCommandInput> = {},
  ) =>
    (
      await athena.send(
        new StartQueryExecutionCommand({ QueryString, ...CONTEXT, ...extra }),
      )
    ).QueryExecutionId!;

  /** Polls until the query ends; every state seen, in order. */
  const poll = async (id: string) => {
    const states: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { QueryExecution } = await athena.send(
        new GetQueryExecutionCommand({ QueryExecutionId: id }),
      );
      states.push(QueryExecution!.Status!.State!);
      if (
        ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(
          QueryExecution!.Status!.State!,
        )
      )
        return { states, execution: QueryExecution! };
    }
    throw new Error(`query ${id} did not finish: ${states.join(' -> ')}`);
  };

  const values = (row: Row) => row.Data!.map(d => d.VarCharValue ?? null);

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
    athena = new AthenaClient(awsLocalClientConfig(aws.endpoint, 'eu-west-2'));
  });
  afterAll(() => aws?.close());
  beforeEach(() => aws.resetStats());

  it('runs a query through QUEUED and RUNNING to SUCCEEDED, with the header row first and Athena types', async () => {
    const id = await start(
      `SELECT line_item_line_item_type AS record_type, count(*) AS lines, round(sum(line_item_unblended_cost), 2) AS unblended
       FROM payments_cost.cur2 WHERE BILLING_PERIOD = '2026-10' GROUP BY 1 ORDER BY 1`,
    );
    const { states, execution } = await poll(id);
    expect(states).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    expect(execution.ResultConfiguration!.OutputLocation).toBe(
      `s3://athena-query-results-604913285577/portal/${id}.csv`,
    );
    expect(execution.Status!.CompletionDateTime).toBeInstanceOf(Date);
    expect(
      execution.Statistics!.EngineExecutionTimeInMillis,
    ).toBeGreaterThanOrEqual(0);
    expect(
      execution.Statistics!.TotalExecutionTimeInMillis,
    ).toBeGreaterThanOrEqual(
      execution.Statistics!.EngineExecutionTimeInMillis!,
    );
    // Bytes scanned: the Parquet file of the one partition the query read.
    const { dataDir } = await aws.curExport();
    const october = fs.statSync(
      path.join(
        dataDir,
        'BILLING_PERIOD=2026-10',
        'payments-cur2-00001.snappy.parquet',
      ),
    ).size;
    expect(execution.Statistics!.DataScannedInBytes).toBe(october);

    const { ResultSet, NextToken } = await athena.send(
      new GetQueryResultsCommand({ QueryExecutionId: id }),
    );
    expect(NextToken).toBeUndefined();
    expect(
      ResultSet!.ResultSetMetadata!.ColumnInfo!.map(c => [c.Name, c.Type]),
    ).toEqual([
      ['record_type', 'varchar'],
      ['lines', 'bigint'],
      ['unblended', 'double'],
    ]);
    const [header, ...rows] = ResultSet!.Rows!;
    expect(values(header)).toEqual(['record_type', 'lines', 'unblended']);
    const byType = Object.fromEntries(
      rows.map(r => values(r)).map(v => [v[0], v]),
    );
    expect(Number(byType.Credit![2])).toBeLessThan(0);
    expect(Number(byType.Usage![1])).toBeGreaterThan(0);
    // The same figure Cost Explorer serves.
    const ce = new CostExplorerClient(
      awsLocalClientConfig(aws.endpoint, 'us-east-1'),
    );
    const october2 = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        Filter: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit'] } },
      }),
    );
    expect(Number(byType.Credit![2])).toBeCloseTo(
      Number(october2.ResultsByTime![0].Total!.UnblendedCost.Amount),
      2,
    );
    expect(aws.stats().operations['athena:StartQueryExecution'].succeeded).toBe(
      1,
    );
  });

  it('pages more than 1,000 rows with NextToken (the SDK paginator), the header only on the first page', async () => {
    const id = await start(
      `SELECT identity_line_item_id, line_item_resource_id, element_at(resource_tags, 'user_product') AS product
       FROM "awsdatacatalog"."payments_cost"."cur2" WHERE BILLING_PERIOD = '2026-10'`,
    );
    await poll(id);
    const pages: Row[][] = [];
    for await (const page of paginateGetQueryResults(
      { client: athena, pageSize: 1000 },
      { QueryExecutionId: id },
    ))
      pages.push(page.ResultSet!.Rows!);
    const count = await start(
      `SELECT count(*) AS n FROM cur2 WHERE BILLING_PERIOD = '2026-10'`,
    );
    await poll(count);
    const counted = await athena.send(
      new GetQueryResultsCommand({ QueryExecutionId: count }),
    );
    const total = Number(values(counted.ResultSet!.Rows![1])[0]);
    expect(total).toBeGreaterThan(2000);
    expect(pages.length).toBe(Math.ceil((total + 1) / 1000));
    expect(pages.slice(0, -1).every(p => p.length === 1000)).toBe(true);
    const rows = pages.flat();
    expect(values(rows[0])).toEqual([
      'identity_line_item_id',
      'line_item_resource_id',
      'product',
    ]);
    expect(
      rows.slice(1).some(r => values(r)[0] === 'identity_line_item_id'),
    ).toBe(false);
    expect(new Set(rows.slice(1).map(r => values(r)[0])).size).toBe(total);
    // Untagged lines: NULL is an empty Datum, not a string.
    const untagged = rows.slice(1).find(r => values(r)[2] === null)!;
    expect(untagged.Data![2]).toEqual({});
  });

  it("fails a query on an unknown table with Athena's StateChangeReason, not an HTTP error", async () => {
    const id = await start('SELECT * FROM nope');
    const { states, execution } = await poll(id);
    expect(states[states.length - 1]).toBe('FAILED');
    expect(execution.Status!.StateChangeReason).toBe(
      "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.payments_cost.nope' does not exist",
    );
    expect(execution.Status!.AthenaError).toMatchObject({ ErrorCategory: 2 });
    expect(execution.Statistics!.DataScannedInBytes).toBe(0);
    await expect(
      athena.send(new GetQueryResultsCommand({ QueryExecutionId: id })),
    ).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: execution.Status!.StateChangeReason,
    });
    const column = await start('SELECT no_such_column FROM cur2');
    expect((await poll(column)).execution.Status!.StateChangeReason).toBe(
      "COLUMN_NOT_FOUND: line 1:8: Column 'no_such_column' cannot be resolved",
    );
    // Only the export is readable, and only SELECTs run.
    const file = await start(`SELECT * FROM read_csv('/etc/passwd')`);
    expect((await poll(file)).states.pop()).toBe('FAILED');
    const ddl = await start('CREATE TABLE x AS SELECT 1');
    expect((await poll(ddl)).execution.Status!.StateChangeReason).toMatch(
      /^NOT_SUPPORTED/,
    );
  });

  it('refuses results before the query finished, MaxResults over 1,000 and unknown ids', async () => {
    const id = await start('SELECT count(*) FROM cur2');
    await expect(
      athena.send(new GetQueryResultsCommand({ QueryExecutionId: id })),
    ).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: 'Query has not yet finished. Current state: QUEUED',
    });
    await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    await expect(
      athena.send(new GetQueryResultsCommand({ QueryExecutionId: id })),
    ).rejects.toMatchObject({
      message: 'Query has not yet finished. Current state: RUNNING',
    });
    await poll(id);
    await expect(
      athena.send(
        new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1001 }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(
      athena.send(
        new GetQueryExecutionCommand({
          QueryExecutionId: '00000000-0000-4000-8000-000000000000',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
    // Another account's query is unknown there.
    const prod = new AthenaClient(await assumedConfig(aws, PROD, 'eu-west-2'));
    await expect(
      prod.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  it('binds ExecutionParameters as SQL literals, and fails a query given the wrong number of them', async () => {
    const sql = 'SELECT count(*) AS n FROM cur2 WHERE BILLING_PERIOD = ?';
    const bound = await start(sql, { ExecutionParameters: ["'2026-10'"] });
    const literal = await start(
      "SELECT count(*) AS n FROM cur2 WHERE BILLING_PERIOD = '2026-10'",
    );
    await poll(bound);
    await poll(literal);
    const count = async (id: string) =>
      values(
        (
          await athena.send(
            new GetQueryResultsCommand({ QueryExecutionId: id }),
          )
        ).ResultSet!.Rows![1],
      )[0];
    expect(Number(await count(bound))).toBeGreaterThan(0);
    expect(await count(bound)).toBe(await count(literal));
    const missing = await start(sql);
    expect((await poll(missing)).execution.Status!.StateChangeReason).toMatch(
      /^INVALID_PARAMETER_USAGE: /,
    );
  });

  it('cancels a running query, and starts a query once per ClientRequestToken', async () => {
    const id = await start('SELECT count(*) FROM cur2');
    await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    const { execution } = await poll(id);
    expect(execution.Status!.State).toBe(QueryExecutionState.CANCELLED);
    await expect(
      athena.send(new GetQueryResultsCommand({ QueryExecutionId: id })),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });

    const token = 'portal-refresh-2026-11-25-0001-abcdef';
    const first = await start('SELECT 1 AS one', { ClientRequestToken: token });
    const again = await start('SELECT 1 AS one', { ClientRequestToken: token });
    expect(again).toBe(first);
    await expect(
      start('SELECT 2 AS two', { ClientRequestToken: token }),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
    expect(aws.stats().operations['athena:StartQueryExecution'].calls).toBe(4);
  });
});
