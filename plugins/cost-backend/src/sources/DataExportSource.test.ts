import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataExportSource } from './DataExportSource';
import { DuckDbEngine } from './dataExport/engines';
import { CUR2, FOCUS1, cur2TagKey } from './dataExport/schema';
import { CurLine, writeCurFixture } from '../__testUtils__/curFixture';
import type { UsageQuery, UsageRow } from '../service/types';

const PROD = '111111111111';
const SHARED = '222222222222';
const tags = (product: string, extra: Record<string, string> = {}) => ({
  [cur2TagKey('product')]: product,
  [cur2TagKey('service')]: `${product}-api`,
  ...extra,
});

/** October is invoiced, November (the current month) is not. */
const LINES: CurLine[] = [
  // payouts: on-demand usage and Savings Plans covered usage (amortized below unblended)
  {
    day: '2026-10-03',
    account: PROD,
    type: 'Usage',
    productName: 'Amazon Relational Database Service',
    unblended: 10,
    tags: tags('payouts', { [cur2TagKey('cost-centre')]: 'cc1' }),
    invoiced: true,
  },
  {
    day: '2026-10-04',
    account: PROD,
    type: 'SavingsPlanCoveredUsage',
    productName: 'Amazon Elastic Compute Cloud - Compute',
    unblended: 8,
    amortized: 5,
    tags: tags('payouts'),
    invoiced: true,
  },
  // untagged usage: unallocated
  {
    day: '2026-10-05',
    account: PROD,
    type: 'Usage',
    productName: 'Amazon Simple Storage Service',
    unblended: 4,
    invoiced: true,
  },
  // charges no tag can carry
  {
    day: '2026-10-01',
    account: PROD,
    type: 'Fee',
    productCode: 'AWSSupportBusiness',
    productName: 'AWS Support (Business)',
    unblended: 3,
    invoiced: true,
  },
  {
    day: '2026-10-01',
    account: PROD,
    type: 'SavingsPlanRecurringFee',
    productName: 'Savings Plans for AWS Compute usage',
    unblended: 6,
    amortized: 0.3,
    invoiced: true,
  },
  {
    day: '2026-10-02',
    account: PROD,
    type: 'Usage',
    entity: 'AWS Marketplace',
    productName: 'CardShield',
    unblended: 2,
    tags: tags('payouts'),
    invoiced: true,
  },
  {
    day: '2026-10-09',
    account: PROD,
    type: 'Credit',
    productName: 'AWS Promotional Credits',
    unblended: -1.5,
    invoiced: true,
  },
  // a shared account's spend, whatever its tags
  {
    day: '2026-10-07',
    account: SHARED,
    type: 'Usage',
    productName: 'Amazon Elastic Kubernetes Service',
    unblended: 7,
    tags: tags('wallet'),
    invoiced: true,
  },
  // November, not invoiced
  {
    day: '2026-11-02',
    account: PROD,
    type: 'Usage',
    productName: 'Amazon Relational Database Service',
    unblended: 11,
    tags: tags('payouts'),
    costCategory: { Product: 'payouts' },
  },
  {
    day: '2026-11-02',
    account: PROD,
    type: 'Usage',
    productName: 'Amazon Relational Database Service',
    unblended: 1,
    costCategory: { Product: 'Unallocated' },
  },
  {
    day: '2026-11-03',
    account: PROD,
    type: 'Usage',
    productName: 'Amazon Relational Database Service',
    unblended: 12.5,
    tags: tags('payouts'),
    costCategory: { Product: 'payouts' },
  },
  // a free-tier line: on the bill at 0
  {
    day: '2026-11-03',
    account: PROD,
    type: 'Usage',
    productName: 'AWS Lambda',
    unblended: 0,
    tags: tags('ledger'),
  },
];

const base = {
  start: '2026-10-01',
  end: '2026-11-25',
  granularity: 'MONTHLY' as const,
  metric: 'AmortizedCost',
};

const byKey = (rows: UsageRow[]) =>
  Object.fromEntries(
    rows.map(r => [
      `${r.periodStart}|${r.key1}|${r.key2}`,
      Math.round(r.amount * 1000) / 1000,
    ]),
  );

describe('DataExportSource over a CUR 2.0 export (DuckDB)', () => {
  let dir: string;
  let files: string[];
  let engine: DuckDbEngine;
  let source: DataExportSource;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cur2-'));
    files = await writeCurFixture(dir, LINES);
    engine = new DuckDbEngine(dir);
    source = new DataExportSource({ id: 'organization' }, engine, CUR2);
  });

  afterAll(async () => {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers every monthly view from one query and the daily view from another', async () => {
    const views: UsageQuery[] = [
      {
        ...base,
        groupBy: [{ tag: 'product' }, { tag: 'service' }],
        filter: { excludeLinkedAccounts: [SHARED], taggableOnly: true },
      },
      {
        ...base,
        groupBy: [{ dimension: 'LINKED_ACCOUNT' }, { dimension: 'SERVICE' }],
        filter: { tagsAbsent: ['cost-centre'], taggableOnly: true },
      },
      {
        ...base,
        groupBy: [
          { dimension: 'RECORD_TYPE' },
          { dimension: 'BILLING_ENTITY' },
        ],
      },
      {
        ...base,
        groupBy: [{ dimension: 'LINKED_ACCOUNT' }, { dimension: 'SERVICE' }],
        filter: { linkedAccounts: [SHARED], taggableOnly: true },
      },
      {
        ...base,
        start: '2026-11-01',
        granularity: 'DAILY',
        groupBy: [{ tag: 'product' }, { tag: 'service' }],
        filter: { excludeLinkedAccounts: [SHARED], taggableOnly: true },
      },
    ];
    const { results, stats } = await source.usageBatch(views);
    expect(stats.queries).toBe(2);
    // DuckDB reads the October and November partitions for the monthly query, November for the daily.
    const size = (f: string) => fs.statSync(f).size;
    expect(stats.bytesScanned).toBe(size(files[0]) + 2 * size(files[1]));

    const [productService, unallocated, charges, shared, daily] = results;
    // Amortized: covered usage at its effective cost (5, not 8); marketplace and credits left out.
    expect(byKey(productService.rows)).toEqual({
      '2026-10-01|payouts|payouts-api': 15,
      '2026-10-01||': 4,
      '2026-11-01|payouts|payouts-api': 23.5,
      '2026-11-01||': 1,
      '2026-11-01|ledger|ledger-api': 0,
    });
    // A key only filtered on (cost-centre) is read as a presence flag.
    expect(byKey(unallocated.rows)).toEqual({
      [`2026-10-01|${PROD}|Amazon Elastic Compute Cloud - Compute`]: 5,
      [`2026-10-01|${PROD}|Amazon Simple Storage Service`]: 4,
      [`2026-10-01|${SHARED}|Amazon Elastic Kubernetes Service`]: 7,
      [`2026-11-01|${PROD}|Amazon Relational Database Service`]: 24.5,
      [`2026-11-01|${PROD}|AWS Lambda`]: 0,
    });
    expect(unallocated.accountNames).toEqual({
      [PROD]: `acct-${PROD}`,
      [SHARED]: `acct-${SHARED}`,
    });
    // Support is CUR's Fee of AWSSupport*; the SP fee's amortized cost is its unused commitment.
    expect(byKey(charges.rows)).toEqual({
      '2026-10-01|Usage|AWS': 21,
      '2026-10-01|SavingsPlanCoveredUsage|AWS': 5,
      '2026-10-01|Support|AWS': 3,
      '2026-10-01|SavingsPlanRecurringFee|AWS': 0.3,
      '2026-10-01|Usage|AWS Marketplace': 2,
      '2026-10-01|Credit|AWS': -1.5,
      '2026-11-01|Usage|AWS': 24.5,
    });
    expect(byKey(shared.rows)).toEqual({
      [`2026-10-01|${SHARED}|Amazon Elastic Kubernetes Service`]: 7,
    });
    expect(byKey(daily.rows)).toEqual({
      '2026-11-02|payouts|payouts-api': 11,
      '2026-11-02||': 1,
      '2026-11-03|payouts|payouts-api': 12.5,
      '2026-11-03|ledger|ledger-api': 0,
    });
    // October is invoiced (final); November is not (Estimated), rows and periods alike.
    expect(productService.periods).toEqual([
      { start: '2026-10-01', estimated: false },
      { start: '2026-11-01', estimated: true },
    ]);
    expect(
      productService.rows.every(
        r => r.provisional === (r.periodStart === '2026-11-01'),
      ),
    ).toBe(true);
    expect(daily.periods).toHaveLength(24);
    expect(productService.units).toEqual(['USD']);
  });

  it('groups by a Cost Category, its default value reading as no product', async () => {
    const result = await source.usage({
      ...base,
      start: '2026-11-01',
      groupBy: [
        { costCategory: 'Product', defaultValue: 'Unallocated' },
        { dimension: 'SERVICE' },
      ],
      filter: { taggableOnly: true },
    });
    expect(byKey(result.rows)).toEqual({
      '2026-11-01|payouts|Amazon Relational Database Service': 23.5,
      '2026-11-01||Amazon Relational Database Service': 1,
      '2026-11-01||AWS Lambda': 0,
    });
  });

  it('reads other metrics from their columns', async () => {
    const unblended = await source.usage({
      ...base,
      metric: 'UnblendedCost',
      groupBy: [{ dimension: 'RECORD_TYPE' }, { dimension: 'BILLING_ENTITY' }],
    });
    expect(
      byKey(unblended.rows)['2026-10-01|SavingsPlanCoveredUsage|AWS'],
    ).toBe(8);
    expect(
      byKey(unblended.rows)['2026-10-01|SavingsPlanRecurringFee|AWS'],
    ).toBe(6);
    await expect(
      source.usage({
        ...base,
        metric: 'NetAmortizedCost',
        groupBy: [
          { dimension: 'RECORD_TYPE' },
          { dimension: 'BILLING_ENTITY' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'InvalidQuery' });
  });

  it('limits an account scope to its own lines', async () => {
    const own = new DataExportSource(
      { id: SHARED, accountId: SHARED },
      engine,
      CUR2,
    );
    const result = await own.usage({
      ...base,
      groupBy: [{ dimension: 'LINKED_ACCOUNT' }, { dimension: 'SERVICE' }],
    });
    expect(byKey(result.rows)).toEqual({
      [`2026-10-01|${SHARED}|Amazon Elastic Kubernetes Service`]: 7,
    });
  });

  it('names the path to fix when the export folder has no Parquet files', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cur2-empty-'));
    const missing = new DataExportSource(
      { id: 'organization' },
      new DuckDbEngine(empty),
      CUR2,
    );
    await expect(
      missing.usage({
        ...base,
        groupBy: [
          { dimension: 'RECORD_TYPE' },
          { dimension: 'BILLING_ENTITY' },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'ExportNotFound',
      message: expect.stringContaining('cost.dataExport.path'),
    });
    fs.rmSync(empty, { recursive: true, force: true });
  });

  it('writes tag keys as CUR 2.0 does', () => {
    expect(cur2TagKey('cost-centre')).toBe('user_cost_centre');
    expect(cur2TagKey('pci:scope/v2')).toBe('user_pci_scope_v2');
    expect(cur2TagKey('Team_Name')).toBe('user_Team_Name');
  });
});

describe('DataExportSource over a FOCUS 1.2 export (DuckDB)', () => {
  let dir: string;
  let engine: DuckDbEngine;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'focus-'));
    const folder = path.join(dir, 'focus', 'data', 'BILLING_PERIOD=2026-10');
    fs.mkdirSync(folder, { recursive: true });
    const line = (
      day: string,
      category: string,
      service: string,
      billed: number,
      effective: number,
      extra: {
        status?: string;
        type?: string;
        publisher?: string;
        tags?: string;
      } = {},
    ) => `SELECT TIMESTAMP '${day} 00:00:00' AS ChargePeriodStart,
      '${PROD}' AS SubAccountId, 'prod' AS SubAccountName, '${service}' AS ServiceName,
      '${category}' AS ChargeCategory, ${
      extra.status ? `'${extra.status}'` : 'NULL'
    } AS CommitmentDiscountStatus,
      ${extra.type ? `'${extra.type}'` : 'NULL'} AS CommitmentDiscountType,
      '${
        extra.publisher ?? 'AWS'
      }' AS PublisherName, 'USD' AS BillingCurrency, 'INV-1' AS InvoiceId,
      ${extra.tags ?? 'CAST(MAP {} AS MAP(VARCHAR, VARCHAR))'} AS Tags,
      CAST(MAP {} AS MAP(VARCHAR, VARCHAR)) AS x_CostCategories,
      CAST(${billed} AS DOUBLE) AS BilledCost, CAST(${effective} AS DOUBLE) AS EffectiveCost`;
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(
      `COPY (${[
        line(
          '2026-10-03',
          'Usage',
          'Amazon Relational Database Service',
          10,
          10,
          {
            tags: "MAP {'user:product': 'payouts'}",
          },
        ),
        line('2026-10-03', 'Usage', 'Amazon Elastic Compute Cloud', 8, 5, {
          status: 'Used',
          type: 'Savings Plan',
          tags: "MAP {'user:product': 'payouts'}",
        }),
        line(
          '2026-10-01',
          'Usage',
          'Savings Plans for AWS Compute usage',
          6,
          0.3,
          {
            status: 'Unused',
            type: 'Savings Plan',
          },
        ),
        line('2026-10-01', 'Tax', 'Tax', 2, 2),
        line('2026-10-02', 'Usage', 'CardShield', 4, 4, {
          publisher: 'CardShield Ltd',
        }),
      ].join(
        ' UNION ALL ',
      )}) TO '${folder}/focus-00001.snappy.parquet' (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
    engine = new DuckDbEngine(dir);
  });

  afterAll(async () => {
    await engine?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('maps ChargeCategory and commitment discounts to record types, EffectiveCost to amortized cost', async () => {
    const source = new DataExportSource({ id: 'organization' }, engine, FOCUS1);
    const { results } = await source.usageBatch([
      {
        ...base,
        end: '2026-11-01',
        groupBy: [
          { dimension: 'RECORD_TYPE' },
          { dimension: 'BILLING_ENTITY' },
        ],
      },
      {
        ...base,
        end: '2026-11-01',
        groupBy: [{ tag: 'product' }, { dimension: 'SERVICE' }],
        filter: { taggableOnly: true },
      },
    ]);
    expect(byKey(results[0].rows)).toEqual({
      '2026-10-01|Usage|AWS': 10,
      '2026-10-01|SavingsPlanCoveredUsage|AWS': 5,
      '2026-10-01|SavingsPlanRecurringFee|AWS': 0.3,
      '2026-10-01|Tax|AWS': 2,
      '2026-10-01|Usage|AWS Marketplace': 4,
    });
    expect(byKey(results[1].rows)).toEqual({
      '2026-10-01|payouts|Amazon Relational Database Service': 10,
      '2026-10-01|payouts|Amazon Elastic Compute Cloud': 5,
    });
    expect(results[0].periods).toEqual([
      { start: '2026-10-01', estimated: false },
    ]);
  });
});
