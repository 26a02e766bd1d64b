import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostAndUsageCommandInput,
  ResultByTime,
  StartCostAllocationTagBackfillCommand,
  UpdateCostAllocationTagsStatusCommand,
} from '@aws-sdk/client-cost-explorer';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { awsLocalClientConfig } from '../clientConfig';
import { DemoEstate } from '../estate/DemoEstate';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';
import { curTagColumnKey, writeCurExport } from './curExport';

// Before the invoice day (the 5th): November is still Estimated, October is invoiced.
const AS_OF = '2026-12-03';
const TOLERANCE = 0.005;

/** CUR back to Cost Explorer's RECORD_TYPE (the reader's side of the mapping). */
const RECORD_TYPE = `CASE WHEN line_item_line_item_type = 'Fee' AND line_item_product_code LIKE 'AWSSupport%' THEN 'Support' ELSE line_item_line_item_type END`;
/** AWS's amortized cost of a CUR line. */
const AMORTIZED = `CASE line_item_line_item_type
  WHEN 'SavingsPlanCoveredUsage' THEN savings_plan_savings_plan_effective_cost
  WHEN 'SavingsPlanRecurringFee' THEN savings_plan_total_commitment_to_date - savings_plan_used_commitment
  WHEN 'SavingsPlanNegation' THEN 0
  WHEN 'DiscountedUsage' THEN reservation_effective_cost
  WHEN 'RIFee' THEN reservation_unused_amortized_upfront_fee_for_billing_period + reservation_unused_recurring_fee
  ELSE line_item_unblended_cost END`;
const TAGGABLE_SQL = `${RECORD_TYPE} IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage') AND bill_billing_entity = 'AWS'`;
const TAGGABLE: GetCostAndUsageCommandInput['Filter'] = {
  And: [
    {
      Dimensions: {
        Key: 'RECORD_TYPE',
        Values: ['Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage'],
      },
    },
    { Dimensions: { Key: 'BILLING_ENTITY', Values: ['AWS'] } },
  ],
};

async function costAndUsage(
  ce: CostExplorerClient,
  input: GetCostAndUsageCommandInput,
): Promise<ResultByTime[]> {
  const results: ResultByTime[] = [];
  let NextPageToken: string | undefined;
  do {
    const page = await ce.send(
      new GetCostAndUsageCommand({ ...input, NextPageToken }),
    );
    results.push(...(page.ResultsByTime ?? []));
    NextPageToken = page.NextPageToken;
  } while (NextPageToken);
  return results;
}

/** `period|key...` -> amount for each metric, from Cost Explorer's groups. */
function ceFigures(results: ResultByTime[], metric: string) {
  const figures = new Map<string, number>();
  for (const r of results)
    for (const g of r.Groups ?? []) {
      const key = [r.TimePeriod!.Start, ...g.Keys!].join('|');
      figures.set(
        key,
        (figures.get(key) ?? 0) + Number(g.Metrics![metric].Amount),
      );
    }
  return figures;
}

async function sqlFigures(
  db: DuckDBConnection,
  sql: string,
): Promise<Map<string, number>> {
  const reader = await db.runAndReadAll(sql);
  return new Map(
    reader
      .getRows()
      .map(row => [
        row.slice(0, -1).map(String).join('|'),
        Number(row[row.length - 1]),
      ]),
  );
}

function expectSameFigures(
  fromCur: Map<string, number>,
  fromCe: Map<string, number>,
) {
  // Cost Explorer drops groups that sum to nothing only when every line was absent; compare both ways.
  expect([...fromCur.keys()].sort()).toEqual([...fromCe.keys()].sort());
  const off = [...fromCe].filter(
    ([key, amount]) => Math.abs((fromCur.get(key) ?? NaN) - amount) > TOLERANCE,
  );
  expect(off).toEqual([]);
}

const glob = (dataDir: string) =>
  `read_parquet('${dataDir}/*/*.parquet', hive_partitioning = true)`;

describe('the estate bill as a CUR 2.0 export', () => {
  jest.setTimeout(30_000);
  let aws: AwsLocal;
  let ce: CostExplorerClient;
  let duck: DuckDBInstance;
  let db: DuckDBConnection;
  let cur2: string;
  let dataDir: string;
  let window: { start: string; end: string };

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
    ce = new CostExplorerClient(
      awsLocalClientConfig(aws.endpoint, 'us-east-1'),
    );
    const written = await aws.curExport();
    dataDir = written.dataDir;
    cur2 = glob(dataDir);
    duck = await DuckDBInstance.create(':memory:', { threads: '2' });
    db = await duck.connect();
    window = {
      start: aws.estate.summary().costWindow.start,
      end: AS_OF,
    };
  });
  afterAll(async () => {
    db?.closeSync();
    duck?.closeSync();
    await aws?.close();
  });

  it('writes one Snappy Parquet file per billing period, in hive partitions, with the contract columns', async () => {
    const written = await aws.curExport();
    expect(written.periods[0]).toBe(window.start.slice(0, 7));
    expect(written.periods[written.periods.length - 1]).toBe('2026-12');
    expect(written.files).toEqual(
      written.periods.map(p =>
        path.join(
          dataDir,
          `BILLING_PERIOD=${p}`,
          'payments-cur2-00001.snappy.parquet',
        ),
      ),
    );
    const codecs = await db.runAndReadAll(
      `SELECT DISTINCT compression FROM parquet_metadata('${dataDir}/*/*.parquet')`,
    );
    expect(codecs.getRows().map(r => r[0])).toEqual(['SNAPPY']);
    const columns = await db.runAndReadAll(`DESCRIBE SELECT * FROM ${cur2}`);
    const types = Object.fromEntries(
      columns.getRows().map(r => [String(r[0]), String(r[1])]),
    );
    expect(types).toMatchObject({
      identity_line_item_id: 'VARCHAR',
      identity_time_interval: 'VARCHAR',
      bill_billing_period_start_date: 'TIMESTAMP',
      bill_invoice_id: 'VARCHAR',
      line_item_usage_start_date: 'TIMESTAMP',
      line_item_unblended_cost: 'DOUBLE',
      line_item_net_unblended_cost: 'DOUBLE',
      line_item_usage_amount: 'DOUBLE',
      product: 'MAP(VARCHAR, VARCHAR)',
      resource_tags: 'MAP(VARCHAR, VARCHAR)',
      cost_category: 'MAP(VARCHAR, VARCHAR)',
      savings_plan_savings_plan_effective_cost: 'DOUBLE',
      reservation_effective_cost: 'DOUBLE',
      BILLING_PERIOD: 'VARCHAR',
    });
    const rows = await db.runAndReadAll(
      `SELECT count(*)::INTEGER, count(DISTINCT identity_line_item_id)::INTEGER FROM ${cur2}`,
    );
    expect(rows.getRows()[0]).toEqual([written.rows, written.rows]);
  });

  it("gives Cost Explorer's monthly unblended, amortized and usage figures by RECORD_TYPE and BILLING_ENTITY", async () => {
    const results = await costAndUsage(ce, {
      TimePeriod: { Start: window.start, End: window.end },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost', 'AmortizedCost', 'NetUnblendedCost'],
      GroupBy: [
        { Type: 'DIMENSION', Key: 'RECORD_TYPE' },
        { Type: 'DIMENSION', Key: 'BILLING_ENTITY' },
      ],
    });
    const by = (
      metric: string,
    ) => `SELECT strftime(bill_billing_period_start_date, '%Y-%m-%d'), ${RECORD_TYPE}, bill_billing_entity, sum(${metric})
      FROM ${cur2} GROUP BY ALL`;
    expectSameFigures(
      await sqlFigures(db, by('line_item_unblended_cost')),
      ceFigures(results, 'UnblendedCost'),
    );
    expectSameFigures(
      await sqlFigures(db, by(AMORTIZED)),
      ceFigures(results, 'AmortizedCost'),
    );
    expectSameFigures(
      await sqlFigures(db, by('line_item_net_unblended_cost')),
      ceFigures(results, 'NetUnblendedCost'),
    );
    // The Savings Plan and Reserved Instance lines amortize: the two metrics differ.
    const covered = ceFigures(results, 'UnblendedCost');
    const amortized = ceFigures(results, 'AmortizedCost');
    const key = `2026-11-01|SavingsPlanCoveredUsage|AWS`;
    expect(amortized.get(key)!).toBeLessThan(covered.get(key)! - 1);
  });

  it("gives Cost Explorer's taggable spend by product tag, by service and by the Product cost category", async () => {
    const start = '2026-09-01';
    const [byProduct, byService, byCategory] = await Promise.all([
      costAndUsage(ce, {
        TimePeriod: { Start: start, End: window.end },
        Granularity: 'MONTHLY',
        Metrics: ['AmortizedCost'],
        GroupBy: [{ Type: 'TAG', Key: 'product' }],
        Filter: TAGGABLE,
      }),
      costAndUsage(ce, {
        TimePeriod: { Start: start, End: window.end },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      }),
      costAndUsage(ce, {
        TimePeriod: { Start: start, End: window.end },
        Granularity: 'MONTHLY',
        Metrics: ['AmortizedCost'],
        GroupBy: [{ Type: 'COST_CATEGORY', Key: 'Product' }],
      }),
    ]);
    // Untagged spend is its own group, as in Cost Explorer.
    expect(
      ceFigures(byProduct, 'AmortizedCost').has('2026-10-01|product$'),
    ).toBe(true);
    const month = `strftime(line_item_usage_start_date, '%Y-%m-01')`;
    const since = `line_item_usage_start_date >= TIMESTAMP '${start}'`;
    expectSameFigures(
      await sqlFigures(
        db,
        `SELECT ${month}, 'product$' || coalesce(resource_tags['user_product'], ''), sum(${AMORTIZED})
         FROM ${cur2} WHERE ${since} AND ${TAGGABLE_SQL} GROUP BY ALL`,
      ),
      ceFigures(byProduct, 'AmortizedCost'),
    );
    expectSameFigures(
      await sqlFigures(
        db,
        `SELECT ${month}, product['product_name'], sum(line_item_unblended_cost)
         FROM ${cur2} WHERE ${since} GROUP BY ALL`,
      ),
      ceFigures(byService, 'UnblendedCost'),
    );
    expectSameFigures(
      await sqlFigures(
        db,
        `SELECT ${month}, 'Product$' || cost_category['Product'], sum(${AMORTIZED})
         FROM ${cur2} WHERE ${since} GROUP BY ALL`,
      ),
      ceFigures(byCategory, 'AmortizedCost'),
    );
  });

  it('has negative credit and refund lines and zero-cost free-tier lines with usage', async () => {
    const reader = await db.runAndReadAll(
      `SELECT ${RECORD_TYPE}, count(*)::INTEGER, max(line_item_unblended_cost), sum(line_item_unblended_cost)
       FROM ${cur2} WHERE line_item_line_item_type IN ('Credit', 'Refund') GROUP BY ALL ORDER BY 1`,
    );
    const [credit, refund] = reader.getRows();
    expect(credit[0]).toBe('Credit');
    expect(Number(credit[2])).toBeLessThan(0);
    expect(refund[0]).toBe('Refund');
    expect(refund[1]).toBe(1);
    expect(Number(refund[3])).toBeCloseTo(
      -aws.estate.seed.cost.charges.refund.usd,
      6,
    );
    const free = await db.runAndReadAll(
      `SELECT count(*)::INTEGER, max(abs(line_item_unblended_cost)), min(line_item_usage_amount)
       FROM ${cur2} WHERE product['product_name'] = 'AWS Lambda'`,
    );
    const [count, maxCost, minUsage] = free.getRows()[0];
    expect(count).toBeGreaterThan(300);
    expect(maxCost).toBe(0);
    expect(Number(minUsage)).toBeGreaterThan(0);
  });

  it('leaves the invoice id empty exactly where Cost Explorer says Estimated (this month, and last month before the invoice day)', async () => {
    const results = await costAndUsage(ce, {
      TimePeriod: { Start: window.start, End: window.end },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
    });
    const estimated = Object.fromEntries(
      results.map(r => [r.TimePeriod!.Start!.slice(0, 7), r.Estimated]),
    );
    const invoices = await db.runAndReadAll(
      `SELECT BILLING_PERIOD, min(bill_invoice_id), max(bill_invoice_id) FROM ${cur2} GROUP BY 1 ORDER BY 1`,
    );
    const byPeriod = invoices.getRows();
    expect(byPeriod.length).toBe(Object.keys(estimated).length);
    for (const [period, min, max] of byPeriod) {
      expect([period, min === max]).toEqual([period, true]);
      expect([period, min === '']).toEqual([period, estimated[String(period)]]);
    }
    const invoiceIds = byPeriod.filter(r => r[1] !== '').map(r => String(r[1]));
    expect(invoiceIds.filter(id => !/^\d{10}$/.test(id))).toEqual([]);
    expect(new Set(invoiceIds).size).toBe(invoiceIds.length);
    expect(byPeriod.filter(r => r[1] === '').map(r => r[0])).toEqual([
      '2026-11',
      '2026-12',
    ]);
  });

  it('names the resource behind each usage line, untagged ones too, and none for charges', async () => {
    const nat = aws.estate.resources.find(
      r => r.resourceType === 'ec2:natgateway',
    )!;
    const natLines = await db.runAndReadAll(
      `SELECT count(*)::INTEGER, max(cardinality(resource_tags))::INTEGER FROM ${cur2} WHERE line_item_resource_id = '${nat.arn}'`,
    );
    expect(natLines.getRows()[0][0]).toBeGreaterThan(0);
    // Its `Team` tag is no cost allocation tag: the bill line has no tags.
    expect(natLines.getRows()[0][1]).toBe(0);
    const ids = await db.runAndReadAll(
      `SELECT DISTINCT line_item_resource_id FROM ${cur2} WHERE line_item_resource_id <> ''`,
    );
    const arns = new Set(aws.estate.resources.map(r => r.arn));
    const unknown = ids
      .getRows()
      .map(r => String(r[0]))
      .filter(id => !arns.has(id));
    expect(unknown).toEqual([]);
    const charges = await db.runAndReadAll(
      `SELECT DISTINCT line_item_resource_id FROM ${cur2} WHERE line_item_line_item_type IN ('Tax', 'Credit', 'Fee', 'RIFee', 'SavingsPlanRecurringFee')`,
    );
    expect(charges.getRows()).toEqual([['']]);
  });

  it('carries only activated cost allocation tags, under CUR 2.0 keys', async () => {
    const keys = await db.runAndReadAll(
      `SELECT DISTINCT unnest(map_keys(resource_tags)) AS k FROM ${cur2} ORDER BY k`,
    );
    const inactive = aws.estate.seed.inactiveCostAllocationTags;
    expect(inactive).toContain('pci-scope');
    const expected = Object.values(aws.estate.seed.tagKeys)
      .filter(k => !inactive.includes(k))
      .map(curTagColumnKey)
      .sort();
    expect(keys.getRows().map(r => r[0])).toEqual(expected);
    expect(curTagColumnKey('cost-centre')).toBe('user_cost_centre');
    expect(curTagColumnKey('Team')).toBe('user_Team');
  });
});

describe('the CUR export as the server moves on', () => {
  // Each test starts a server and writes the export two or three times (about a second each).
  jest.setTimeout(30_000);
  let duck: DuckDBInstance;
  let db: DuckDBConnection;

  beforeAll(async () => {
    duck = await DuckDBInstance.create(':memory:', { threads: '2' });
    db = await duck.connect();
  });
  afterAll(() => {
    db?.closeSync();
    duck?.closeSync();
  });

  it('adds a tag once activated and backfilled, from the backfill month on, as Cost Explorer groups it', async () => {
    let clock = new Date(`${AS_OF}T09:00:00Z`);
    const aws = await startAwsLocal({
      asOf: AS_OF,
      now: () => clock,
      curExport: { months: 4 },
    });
    try {
      const ce = new CostExplorerClient(
        awsLocalClientConfig(aws.endpoint, 'us-east-1'),
      );
      await ce.send(
        new UpdateCostAllocationTagsStatusCommand({
          CostAllocationTagsStatus: [{ TagKey: 'pci-scope', Status: 'Active' }],
        }),
      );
      const pci = `count(resource_tags['user_pci_scope'])::INTEGER`;
      // Active from today: yesterday's and older lines still lack it.
      let { dataDir } = await aws.curExport();
      let rows = await db.runAndReadAll(`SELECT ${pci} FROM ${glob(dataDir)}`);
      expect(rows.getRows()[0][0]).toBe(0);

      await ce.send(
        new StartCostAllocationTagBackfillCommand({
          BackfillFrom: '2026-10-01T00:00:00Z',
        }),
      );
      clock = new Date(clock.getTime() + 3 * 3600_000); // the backfill has completed
      ({ dataDir } = await aws.curExport());
      rows = await db.runAndReadAll(
        `SELECT BILLING_PERIOD, ${pci} FROM ${glob(
          dataDir,
        )} GROUP BY 1 ORDER BY 1`,
      );
      const byPeriod = Object.fromEntries(
        rows.getRows().map(r => [String(r[0]), Number(r[1])]),
      );
      expect(byPeriod['2026-09']).toBe(0);
      expect(byPeriod['2026-10']).toBeGreaterThan(0);
      expect(byPeriod['2026-12']).toBeGreaterThan(0);

      const results = await costAndUsage(ce, {
        TimePeriod: { Start: '2026-09-01', End: AS_OF },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'TAG', Key: 'pci-scope' }],
        Filter: TAGGABLE,
      });
      expectSameFigures(
        await sqlFigures(
          db,
          `SELECT strftime(line_item_usage_start_date, '%Y-%m-01'), 'pci-scope$' || coalesce(resource_tags['user_pci_scope'], ''), sum(line_item_unblended_cost)
           FROM ${glob(dataDir)}
           WHERE line_item_usage_start_date >= TIMESTAMP '2026-09-01' AND ${TAGGABLE_SQL} GROUP BY ALL`,
        ),
        ceFigures(results, 'UnblendedCost'),
      );
    } finally {
      await aws.close();
    }
  });

  it('is rewritten when the day moves on: the new day, and last month invoiced on the invoice day', async () => {
    let clock = new Date('2026-12-04T23:59:00Z');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cur-export-test-'));
    const aws = await startAwsLocal({
      now: () => clock,
      curExport: { dir, refreshMs: 3_600_000, months: 2 },
    });
    try {
      let written = await aws.curExport();
      expect(written.asOf).toBe('2026-12-04');
      expect(written.dataDir).toBe(path.join(dir, 'payments-cur2', 'data'));
      const invoiceOf = async (period: string) =>
        (
          await db.runAndReadAll(
            `SELECT DISTINCT bill_invoice_id FROM ${glob(
              written.dataDir,
            )} WHERE BILLING_PERIOD = '${period}'`,
          )
        ).getRows();
      const lastDay = async () =>
        (
          await db.runAndReadAll(
            `SELECT strftime(max(line_item_usage_start_date), '%Y-%m-%d') FROM ${glob(
              written.dataDir,
            )}`,
          )
        ).getRows()[0][0];
      expect(await invoiceOf('2026-11')).toEqual([['']]);
      expect(await lastDay()).toBe('2026-12-03');

      clock = new Date('2026-12-05T00:01:00Z');
      written = await aws.curExport();
      expect(written.asOf).toBe('2026-12-05');
      expect(await lastDay()).toBe('2026-12-04');
      const [[invoice]] = await invoiceOf('2026-11');
      expect(String(invoice)).toMatch(/^\d{10}$/);
    } finally {
      await aws.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes the same bill from the estate alone (writeCurExport), as a fresh server sees it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cur-export-test-'));
    try {
      const estate = DemoEstate.load({ asOf: AS_OF });
      const written = await writeCurExport(estate, {
        dir,
        exportName: 'team-cur',
        months: 2,
      });
      expect(written.periods).toEqual(['2026-11', '2026-12']);
      expect(written.files[0]).toBe(
        path.join(
          dir,
          'team-cur',
          'data',
          'BILLING_PERIOD=2026-11',
          'team-cur-00001.snappy.parquet',
        ),
      );
      const manifest = JSON.parse(
        fs.readFileSync(
          path.join(
            dir,
            'team-cur',
            'metadata',
            'BILLING_PERIOD=2026-11',
            'team-cur-Manifest.json',
          ),
          'utf8',
        ),
      );
      expect(manifest).toMatchObject({
        exportName: 'team-cur',
        invoiced: false,
      });
      await expect(
        writeCurExport(estate, { dir, exportName: 'no/slashes' }),
      ).rejects.toThrow(/exportName 'no\/slashes'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
