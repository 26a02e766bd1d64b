import {
  DOUBLE,
  DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
} from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import type { CostSeries, DemoEstate } from '../estate/DemoEstate';
import { addMonths, formatDay, parseDay, startOfMonth } from '../estate/dates';
import { hashString, mix, stableUuid } from '../estate/random';
import type { RecordType } from '../estate/charges';
import type { CallContext } from '../protocols/types';
import {
  costAllocationTags,
  maskTags,
  tagSegments,
} from '../services/costExplorer/costAllocationTags';
import {
  costCategoryNames,
  costCategoryReader,
} from '../services/costExplorer/costCategories';

export const DEFAULT_CUR_EXPORT_NAME = 'payments-cur2';

export interface CurExportOptions {
  /** The export root: files go to `<dir>/<exportName>/data/BILLING_PERIOD=YYYY-MM/`. */
  dir: string;
  /** The Data Export's name (default `payments-cur2`). */
  exportName?: string;
  /** Only the latest this many billing periods (benchmarks at large scale); default: all 13-14 of the window. */
  months?: number;
}

export interface CurExportResult {
  /** The Parquet files written, one per billing period. */
  files: string[];
  rows: number;
  /** Billing periods written, `YYYY-MM`, oldest first. */
  periods: string[];
  /** `<dir>/<exportName>/data`: the folder a Glue table (or a DuckDB glob) points at. */
  dataDir: string;
  /** The estate's today the export was written for (`YYYY-MM-DD`). */
  asOf: string;
}

/**
 * What a server's Cost Explorer shows of the estate: its cost allocation tag settings (activations,
 * backfills) and cost categories. Without one, the export sees the seed's settings, as a fresh
 * server does.
 */
export type CurExportView = Pick<CallContext, 'estate' | 'state' | 'now'>;

/** A fresh server's view of the estate: the seed's tag activations and the demo cost category. */
export function seedView(estate: DemoEstate): CurExportView {
  // A fresh server has no backfills to settle: its clock reads as the estate's today.
  const now = new Date(estate.asOfDay * 86_400_000);
  const state = new Map<string, unknown>();
  return {
    estate,
    now,
    state: <T>(key: string, create: () => T): T => {
      if (!state.has(key)) state.set(key, create());
      return state.get(key) as T;
    },
  };
}

/**
 * CUR 2.0's key for a user-defined tag in `resource_tags`: `user_` and the key with every
 * character outside [A-Za-z0-9_] turned into `_` (`cost-centre` -> `user_cost_centre`).
 */
export function curTagColumnKey(tagKey: string): string {
  return `user_${tagKey.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * Cost Explorer's RECORD_TYPE -> CUR's line_item_line_item_type. CUR has no `Support` type: AWS
 * Support is a `Fee` line whose line_item_product_code is `AWSSupport<plan>` (a reader maps
 * `Fee` lines of an `AWSSupport*` product back to Support). Every other type keeps its name.
 */
export function curLineItemType(recordType: RecordType): string {
  return recordType === 'Support' ? 'Fee' : recordType;
}

/** CUR's line_item_product_code (and product_servicecode) of Cost Explorer's SERVICE values. */
const PRODUCT_CODES: Record<string, string> = {
  'Amazon Relational Database Service': 'AmazonRDS',
  'Amazon DynamoDB': 'AmazonDynamoDB',
  'Amazon ElastiCache': 'AmazonElastiCache',
  'Amazon Simple Storage Service': 'AmazonS3',
  'Amazon Simple Queue Service': 'AWSQueueService',
  'Amazon Elastic Compute Cloud - Compute': 'AmazonEC2',
  'EC2 - Other': 'AmazonEC2',
  AmazonCloudWatch: 'AmazonCloudWatch',
  'AWS Key Management Service': 'awskms',
  'AWS Secrets Manager': 'AWSSecretsManager',
  'AWS Backup': 'AWSBackup',
  'Amazon Managed Streaming for Apache Kafka': 'AmazonMSK',
  'Amazon Elastic Container Service for Kubernetes': 'AmazonEKS',
  'Amazon Managed Service for Prometheus': 'AmazonPrometheus',
  'Amazon Route 53': 'AmazonRoute53',
  'AWS Lambda': 'AWSLambda',
  'AWS Support (Business)': 'AWSSupportBusiness',
  'Savings Plans for AWS Compute usage': 'ComputeSavingsPlans',
  'AWS Promotional Credits': 'AWSPromotionalCredits',
  Tax: 'AWSTax',
};

function productCode(series: CostSeries): string {
  if (series.billingEntity === 'AWS Marketplace')
    // Marketplace products are named by an opaque product code.
    return `${hashString(series.awsService).toString(36)}mpsaas0000000`
      .slice(0, 25)
      .padEnd(25, '0');
  return (
    PRODUCT_CODES[series.awsService] ?? series.awsService.replace(/\W/g, '')
  );
}

const OPERATIONS: Record<string, string> = {
  AmazonRDS: 'CreateDBInstance',
  AmazonEC2: 'RunInstances',
  AmazonDynamoDB: 'PayPerRequestThroughput',
  AmazonElastiCache: 'CreateCacheCluster:0001',
  AmazonS3: 'StandardStorage',
  AWSQueueService: 'SendMessage',
  AWSLambda: 'Invoke',
};

function description(series: CostSeries, code: string): string {
  switch (series.recordType) {
    case 'Tax':
      return 'Tax for the usage of this account';
    case 'Support':
      return 'Business Support plan fee';
    case 'Credit':
      return 'AWS Promotional Credit';
    case 'Refund':
      return 'Refund of overcharged usage';
    case 'SavingsPlanRecurringFee':
      return '1 year No Upfront Compute Savings Plan hourly commitment';
    case 'RIFee':
      return 'Reserved instance hourly fee, 1 year No Upfront';
    case 'SavingsPlanCoveredUsage':
      return `Compute Savings Plans covered usage: ${series.usageType}`;
    case 'DiscountedUsage':
      return `Reserved instance applied to ${series.usageType}`;
    default:
      if (series.free)
        return `$0.00 per ${series.usageUnit} under the monthly free tier (${code})`;
      return `$${series.unitPrice} per ${series.usageUnit} for ${series.usageType}`;
  }
}

/** The bill's payer and the export's account names. */
function accountName(estate: DemoEstate, id: string): string {
  return estate.accountById(id)?.name ?? id;
}

const iso = (day: number) => `${formatDay(day)}T00:00:00Z`;

/** One bill line as written: a series seen with one set of visible tags, on one resource. */
interface LineRow {
  factKey: number;
  series: CostSeries;
  view: CostSeries;
  resourceId: string;
  share: number;
}

const LINE_TABLE = `CREATE TABLE raw_lines (
  fact_key INTEGER, line_uid VARCHAR, resource_id VARCHAR, share DOUBLE,
  usage_account_id VARCHAR, usage_account_name VARCHAR, billing_entity VARCHAR,
  line_item_type VARCHAR, product_code VARCHAR, usage_type VARCHAR, operation VARCHAR,
  description VARCHAR, product_name VARCHAR, region_code VARCHAR, pricing_unit VARCHAR,
  unit_price DOUBLE, net_ratio DOUBLE, on_demand_ratio DOUBLE,
  sp_effective_ratio DOUBLE, sp_commitment_ratio DOUBLE, sp_used_ratio DOUBLE,
  ri_effective_ratio DOUBLE, ri_unused_ratio DOUBLE,
  savings_plan_arn VARCHAR, reservation_arn VARCHAR, legal_entity VARCHAR,
  resource_tags_json VARCHAR, cost_category_json VARCHAR
)`;

// Maps are built once per line (appending them value by value is slow), not once per row.
const LINES_FROM_RAW = `CREATE TABLE lines AS SELECT * EXCLUDE (resource_tags_json, cost_category_json),
  MAP {'product_name': product_name, 'region': region_code} AS product,
  CAST(resource_tags_json::JSON AS MAP(VARCHAR, VARCHAR)) AS resource_tags,
  CAST(cost_category_json::JSON AS MAP(VARCHAR, VARCHAR)) AS cost_category
FROM raw_lines`;

const FACT_TABLE = `CREATE TABLE facts (fact_key INTEGER, day INTEGER, unblended DOUBLE, usage DOUBLE)`;

const CHUNK_ROWS = 2048;
/** Rows of facts (days x lines) written in one COPY. */
const BATCH_ROWS = 2_000_000;

const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * One billing period's rows. The amortized-cost columns are such that AWS's documented formula
 * gives back Cost Explorer's AmortizedCost for every line (`u` = unblended, `a` = amortized):
 *   SavingsPlanCoveredUsage -> savings_plan_savings_plan_effective_cost (a)
 *   SavingsPlanRecurringFee -> savings_plan_total_commitment_to_date (u) - savings_plan_used_commitment (u - a)
 *   DiscountedUsage         -> reservation_effective_cost (a)
 *   RIFee                   -> reservation_unused_amortized_upfront_fee_for_billing_period (0)
 *                              + reservation_unused_recurring_fee (a)
 *   anything else           -> line_item_unblended_cost (u)
 */
function selectSql(payer: { id: string; name: string }): string {
  const u = 'f.unblended * l.share';
  return `SELECT
  l.line_uid || CAST(f.day AS VARCHAR) AS identity_line_item_id,
  d.time_interval AS identity_time_interval,
  'Anniversary' AS bill_bill_type,
  l.billing_entity AS bill_billing_entity,
  p.start_date AS bill_billing_period_start_date,
  p.end_date AS bill_billing_period_end_date,
  p.invoice_id AS bill_invoice_id,
  'Amazon Web Services EMEA SARL' AS bill_invoicing_entity,
  ${sqlString(payer.id)} AS bill_payer_account_id,
  ${sqlString(payer.name)} AS bill_payer_account_name,
  l.usage_account_id AS line_item_usage_account_id,
  l.usage_account_name AS line_item_usage_account_name,
  l.line_item_type AS line_item_line_item_type,
  d.start_date AS line_item_usage_start_date,
  d.end_date AS line_item_usage_end_date,
  l.product_code AS line_item_product_code,
  l.usage_type AS line_item_usage_type,
  l.operation AS line_item_operation,
  l.resource_id AS line_item_resource_id,
  f.usage * l.share AS line_item_usage_amount,
  l.pricing_unit AS pricing_unit,
  'USD' AS line_item_currency_code,
  l.unit_price AS line_item_unblended_rate,
  ${u} AS line_item_unblended_cost,
  l.unit_price AS line_item_blended_rate,
  ${u} AS line_item_blended_cost,
  ${u} * l.net_ratio AS line_item_net_unblended_cost,
  l.description AS line_item_line_item_description,
  l.legal_entity AS line_item_legal_entity,
  l.product AS product,
  l.product_code AS product_servicecode,
  l.region_code AS product_region_code,
  ${u} * l.on_demand_ratio AS pricing_public_on_demand_cost,
  l.savings_plan_arn AS savings_plan_savings_plan_a_r_n,
  ${u} * l.sp_effective_ratio AS savings_plan_savings_plan_effective_cost,
  ${u} * l.sp_effective_ratio * l.net_ratio AS savings_plan_net_savings_plan_effective_cost,
  ${u} * l.sp_commitment_ratio AS savings_plan_total_commitment_to_date,
  ${u} * l.sp_used_ratio AS savings_plan_used_commitment,
  l.reservation_arn AS reservation_reservation_a_r_n,
  ${u} * l.ri_effective_ratio AS reservation_effective_cost,
  ${u} * l.ri_effective_ratio * l.net_ratio AS reservation_net_effective_cost,
  ${u} * l.ri_unused_ratio AS reservation_unused_recurring_fee,
  CAST(0 AS DOUBLE) AS reservation_unused_amortized_upfront_fee_for_billing_period,
  l.resource_tags AS resource_tags,
  l.cost_category AS cost_category,
  d.billing_period AS BILLING_PERIOD
FROM facts f JOIN lines l USING (fact_key) JOIN days d USING (day)
  JOIN periods p USING (billing_period)`;
}

/** Record types whose amortized cost the columns above can carry when it differs from unblended. */
const AMORTIZING_TYPES: RecordType[] = [
  'SavingsPlanCoveredUsage',
  'SavingsPlanRecurringFee',
  'DiscountedUsage',
  'RIFee',
];

/**
 * Writes the estate's bill as a CUR 2.0 Data Export (daily line items with resource ids, Parquet
 * with Snappy, one hive partition `BILLING_PERIOD=YYYY-MM` per month) with exactly the figures its
 * Cost Explorer serves: the same daily amounts (estate.dailyCost), metrics (estate.metricsFor),
 * tags as Cost Explorer can group by them on each day (only active cost allocation tags, from
 * the day they became visible), cost categories, Estimated months (no invoice id yet).
 *
 * Not modelled: SavingsPlanNegation lines. The estate's Cost Explorer bills Savings Plan covered
 * usage at its (positive) unblended cost with the commitment fee on top and serves no negation
 * lines, so the export has none either and RECORD_TYPE totals agree.
 */
export async function writeCurExport(
  estate: DemoEstate,
  options: CurExportOptions,
  view: CurExportView = seedView(estate),
): Promise<CurExportResult> {
  const exportName = options.exportName ?? DEFAULT_CUR_EXPORT_NAME;
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(exportName))
    throw new Error(
      `exportName '${exportName}' may hold only letters, digits, '-' and '_' (as a Data Export's name), e.g. ${DEFAULT_CUR_EXPORT_NAME}`,
    );
  if (
    options.months !== undefined &&
    (!Number.isInteger(options.months) || options.months < 1)
  )
    throw new Error(
      `months is ${options.months}; give a whole number of billing periods, at least 1`,
    );
  // Reading the estate's today first moves its window on, as a Cost Explorer request does.
  const asOfDay = estate.asOfDay;
  const { firstDay, lastDay } = estate;
  const exportRoot = path.join(options.dir, exportName);
  const dataDir = path.join(exportRoot, 'data');

  let periods: Array<{ start: number; end: number; label: string }> = [];
  for (
    let start = startOfMonth(firstDay);
    start <= lastDay;
    start = addMonths(start, 1)
  ) {
    periods.push({
      start,
      end: addMonths(start, 1),
      label: formatDay(start).slice(0, 7),
    });
  }
  if (options.months !== undefined) periods = periods.slice(-options.months);
  const from = Math.max(firstDay, periods[0]?.start ?? firstDay);

  // What Cost Explorer can see on each day: tags hidden before activation, cost categories.
  const tagState = costAllocationTags(view as CallContext);
  const segments = tagSegments(tagState, from, lastDay + 1);
  const categoryOf = costCategoryReader(view as CallContext);
  const categories = costCategoryNames(view as CallContext).map(name => ({
    name,
    valueOf: categoryOf(name)!,
  }));

  const management = estate.managementAccount;
  const payer = { id: management.id, name: management.name };
  const savingsPlanArn = `arn:aws:savingsplans::${
    management.id
  }:savingsplan/${stableUuid(`${estate.seed.seed}:savings-plan`)}`;
  const reservationArn = `arn:aws:rds:${estate.regions[0]}:${
    management.id
  }:ri:payments-${stableUuid(`${estate.seed.seed}:ri`).slice(0, 8)}`;

  // One line per (series, visible tags, resource); facts are keyed by (series, visible tags).
  const series = estate.series;
  const lines: LineRow[] = [];
  const factKeys: Int32Array[] = segments.map(
    () => new Int32Array(series.length),
  );
  let nextKey = 0;
  series.forEach((line, i) => {
    if (
      line.amortizedRatio !== 1 &&
      !AMORTIZING_TYPES.includes(line.recordType)
    )
      throw new Error(
        `the estate amortizes a ${line.recordType} line (${
          line.key
        }); CUR carries amortized cost only on ${AMORTIZING_TYPES.join(', ')}`,
      );
    const keysByView = new Map<CostSeries, number>();
    segments.forEach((segment, g) => {
      const seen = maskTags(line, segment.hidden);
      let key = keysByView.get(seen);
      if (key === undefined) {
        key = nextKey++;
        keysByView.set(seen, key);
        const arns = line.resourceArns?.length ? line.resourceArns : [''];
        for (const arn of arns)
          lines.push({
            factKey: key,
            series: line,
            view: seen,
            resourceId: arn,
            share: 1 / arns.length,
          });
      }
      factKeys[g][i] = key;
    });
  });

  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  try {
    // Row order means nothing in a CUR file; without it DuckDB writes Parquet in parallel.
    await connection.run('SET preserve_insertion_order = false');
    await connection.run("SET memory_limit = '1GB'");
    await connection.run(LINE_TABLE);
    await connection.run(FACT_TABLE);
    await appendLines(connection, lines, estate, categories, {
      savingsPlan: savingsPlanArn,
      reservation: reservationArn,
    });
    await createDays(connection, from, lastDay + 1);

    await connection.run(`CREATE TABLE periods (
      billing_period VARCHAR, start_date TIMESTAMP, end_date TIMESTAMP, invoice_id VARCHAR)`);
    const invoiced = new Map<string, boolean>();
    for (const period of periods) {
      invoiced.set(period.label, !estate.isEstimated(period.end - 1));
      const invoiceId = invoiced.get(period.label)
        ? String(
            1_000_000_000 +
              (hashString(`${estate.seed.seed}:invoice:${period.label}`) %
                8_999_999_999),
          )
        : '';
      await connection.run(
        `INSERT INTO periods VALUES (${sqlString(
          period.label,
        )}, TIMESTAMP '${formatDay(period.start)}', TIMESTAMP '${formatDay(
          period.end,
        )}', ${sqlString(invoiceId)})`,
      );
    }

    fs.mkdirSync(dataDir, { recursive: true });
    const files: string[] = [];
    let rows = 0;
    // Periods are written in batches of about BATCH_ROWS rows: all at once for the demo estate,
    // about one a batch for a thousand products, so memory stays bounded at any scale.
    let batch: typeof periods = [];
    let batchRows = 0;
    const flushBatch = async () => {
      if (batch.length === 0) return;
      const staging = path.join(
        exportRoot,
        `.staging-${process.pid}-${batch[0].label}`,
      );
      fs.rmSync(staging, { recursive: true, force: true });
      await connection.run(
        `COPY (${selectSql(payer)}) TO ${sqlString(
          staging,
        )} (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (BILLING_PERIOD), FILENAME_PATTERN 'part{i}', ROW_GROUP_SIZE 122880)`,
      );
      const counts = await connection.runAndReadAll(
        `SELECT d.billing_period, count(*)::INTEGER FROM facts f JOIN lines l USING (fact_key) JOIN days d USING (day) GROUP BY 1`,
      );
      const countOf = new Map(
        counts.getRows().map(r => [String(r[0]), Number(r[1])]),
      );
      for (const period of batch) {
        const folder = path.join(dataDir, `BILLING_PERIOD=${period.label}`);
        fs.mkdirSync(folder, { recursive: true });
        const file = path.join(folder, `${exportName}-00001.snappy.parquet`);
        const partial = path.join(
          staging,
          `BILLING_PERIOD=${period.label}`,
          'part0.parquet',
        );
        // Renamed into place, so a reader globbing the folder never sees half a file.
        if (fs.existsSync(partial)) fs.renameSync(partial, file);
        else fs.rmSync(file, { force: true });
        const periodRows = countOf.get(period.label) ?? 0;
        rows += periodRows;
        files.push(file);
        writeManifest(exportRoot, exportName, period, file, periodRows, {
          invoiced: invoiced.get(period.label)!,
          asOf: formatDay(asOfDay),
        });
      }
      fs.rmSync(staging, { recursive: true, force: true });
      await connection.run('DELETE FROM facts');
      batch = [];
      batchRows = 0;
    };
    for (const period of periods) {
      batchRows += await appendFacts(
        connection,
        estate,
        series,
        segments,
        factKeys,
        {
          start: Math.max(period.start, from),
          end: Math.min(period.end, lastDay + 1),
        },
      );
      batch.push(period);
      if (batchRows >= BATCH_ROWS) await flushBatch();
    }
    await flushBatch();
    // Billing periods that left the window leave the export (Cost Explorer no longer has them).
    const written = new Set(periods.map(p => `BILLING_PERIOD=${p.label}`));
    for (const entry of fs.readdirSync(dataDir)) {
      if (entry.startsWith('BILLING_PERIOD=') && !written.has(entry)) {
        fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
        fs.rmSync(path.join(exportRoot, 'metadata', entry), {
          recursive: true,
          force: true,
        });
      }
    }
    return {
      files,
      rows,
      periods: periods.map(p => p.label),
      dataDir,
      asOf: formatDay(asOfDay),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function appendLines(
  connection: DuckDBConnection,
  lines: LineRow[],
  estate: DemoEstate,
  categories: Array<{ name: string; valueOf: (s: CostSeries) => string }>,
  arns: { savingsPlan: string; reservation: string },
) {
  const appender = await connection.createAppender('raw_lines');
  for (const row of lines) {
    const { series, view } = row;
    const code = productCode(series);
    const amortized = estate.metricsFor(series, 1).AmortizedCost;
    const net = estate.metricsFor(series, 1).NetUnblendedCost;
    const type = series.recordType;
    const ratio = (types: RecordType[], value: number) =>
      types.includes(type) ? value : 0;
    appender.appendInteger(row.factKey);
    // Stable over rewrites: the line (series, resource, visible tags) and, appended per row, the day.
    appender.appendVarchar(
      `${mix(
        series.hash,
        hashString(
          `${row.resourceId}|${
            row.view === series ? '' : Object.keys(row.view.tags).join(',')
          }`,
        ),
      )
        .toString(36)
        .padStart(7, '0')}${series.hash.toString(36).padStart(7, '0')}`,
    );
    appender.appendVarchar(row.resourceId);
    appender.appendDouble(row.share);
    appender.appendVarchar(series.accountId);
    appender.appendVarchar(accountName(estate, series.accountId));
    appender.appendVarchar(series.billingEntity);
    appender.appendVarchar(curLineItemType(type));
    appender.appendVarchar(code);
    appender.appendVarchar(series.usageType);
    appender.appendVarchar(OPERATIONS[code] ?? '');
    appender.appendVarchar(description(series, code));
    appender.appendVarchar(series.awsService);
    // Charges of no one region: Cost Explorer's REGION 'NoRegion' is an empty region in CUR.
    appender.appendVarchar(series.region === 'NoRegion' ? '' : series.region);
    appender.appendVarchar(series.usageUnit);
    appender.appendDouble(series.free ? 0 : series.unitPrice);
    appender.appendDouble(net);
    // What the usage would have cost on demand: usage lines only, not fees, tax or credits.
    appender.appendDouble(
      ratio(['Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage'], 1),
    );
    appender.appendDouble(ratio(['SavingsPlanCoveredUsage'], amortized));
    appender.appendDouble(ratio(['SavingsPlanRecurringFee'], 1));
    appender.appendDouble(ratio(['SavingsPlanRecurringFee'], 1 - amortized));
    appender.appendDouble(ratio(['DiscountedUsage'], amortized));
    appender.appendDouble(ratio(['RIFee'], amortized));
    appender.appendVarchar(
      ['SavingsPlanCoveredUsage', 'SavingsPlanRecurringFee'].includes(type)
        ? arns.savingsPlan
        : '',
    );
    appender.appendVarchar(
      ['DiscountedUsage', 'RIFee'].includes(type) ? arns.reservation : '',
    );
    appender.appendVarchar(
      series.billingEntity === 'AWS Marketplace'
        ? 'CardShield Ltd'
        : 'Amazon Web Services EMEA SARL',
    );
    appender.appendVarchar(
      JSON.stringify(
        Object.fromEntries(
          Object.entries(view.tags)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([key, value]) => [curTagColumnKey(key), value]),
        ),
      ),
    );
    appender.appendVarchar(
      JSON.stringify(
        Object.fromEntries(
          categories
            .map(c => [c.name, c.valueOf(view)])
            .filter(([, value]) => value !== ''),
        ),
      ),
    );
    appender.endRow();
  }
  appender.closeSync();
  await connection.run(LINES_FROM_RAW);
  await connection.run('DROP TABLE raw_lines');
}

/** The days of the window with their CUR time columns. */
async function createDays(
  connection: DuckDBConnection,
  from: number,
  to: number,
) {
  await connection.run(`CREATE TABLE days AS SELECT
  CAST(range AS INTEGER) AS day,
  TIMESTAMP '1970-01-01' + to_days(CAST(range AS INTEGER)) AS start_date,
  TIMESTAMP '1970-01-01' + to_days(CAST(range + 1 AS INTEGER)) AS end_date,
  strftime(start_date, '%Y-%m-%dT%H:%M:%SZ') || '/' || strftime(end_date, '%Y-%m-%dT%H:%M:%SZ') AS time_interval,
  strftime(start_date, '%Y-%m') AS billing_period
FROM range(${from}, ${to})`);
}

/** The days' amounts of every line, exactly as Cost Explorer sums them. */
async function appendFacts(
  connection: DuckDBConnection,
  estate: DemoEstate,
  series: CostSeries[],
  segments: Array<{ start: number; end: number }>,
  factKeys: Int32Array[],
  range: { start: number; end: number },
): Promise<number> {
  const appender = await connection.createAppender('facts');
  let count = 0;
  const usageRatios = series.map(s => estate.metricsFor(s, 1).UsageQuantity);
  let keys: number[] = [];
  let days: number[] = [];
  let unblended: number[] = [];
  let usage: number[] = [];
  const flush = () => {
    if (keys.length === 0) return;
    const chunk = DuckDBDataChunk.create(
      [INTEGER, INTEGER, DOUBLE, DOUBLE],
      keys.length,
    );
    chunk.setColumnValues(0, keys);
    chunk.setColumnValues(1, days);
    chunk.setColumnValues(2, unblended);
    chunk.setColumnValues(3, usage);
    appender.appendDataChunk(chunk);
    count += keys.length;
    keys = [];
    days = [];
    unblended = [];
    usage = [];
  };
  for (let g = 0; g < segments.length; g++) {
    const from = Math.max(range.start, segments[g].start);
    const to = Math.min(range.end, segments[g].end);
    for (let i = 0; i < series.length; i++) {
      const line = series[i];
      for (let day = from; day < to; day++) {
        const cost = estate.dailyCost(line, day);
        const free = line.free ? estate.freeUsage(line, day) : 0;
        // On the bill when it cost something, or was free-tier usage (a 0 USD line).
        if (cost === 0 && free === 0) continue;
        keys.push(factKeys[g][i]);
        days.push(day);
        unblended.push(cost);
        usage.push(line.free ? free : cost * usageRatios[i]);
        if (keys.length === CHUNK_ROWS) flush();
      }
    }
  }
  flush();
  appender.closeSync();
  return count;
}

function writeManifest(
  exportRoot: string,
  exportName: string,
  period: { start: number; end: number; label: string },
  file: string,
  rows: number,
  extra: { invoiced: boolean; asOf: string },
) {
  const folder = path.join(
    exportRoot,
    'metadata',
    `BILLING_PERIOD=${period.label}`,
  );
  fs.mkdirSync(folder, { recursive: true });
  const manifest = {
    exportName,
    exportTimestamp: `${extra.asOf}T00:00:00Z`,
    billingPeriod: {
      start: iso(period.start),
      end: iso(period.end),
    },
    dataFiles: [path.relative(exportRoot, file).split(path.sep).join('/')],
    rowCount: rows,
    compression: 'SNAPPY',
    format: 'PARQUET',
    // Estimated until invoiced, as Cost Explorer's Estimated flag.
    invoiced: extra.invoiced,
    timeGranularity: 'DAILY',
    includeResources: true,
  };
  fs.writeFileSync(
    path.join(folder, `${exportName}-Manifest.json`),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
}

/** The billing periods a dated export folder holds, oldest first (for readers of an export root). */
export function exportedPeriods(dataDir: string): string[] {
  if (!fs.existsSync(dataDir)) return [];
  return fs
    .readdirSync(dataDir)
    .filter(e => /^BILLING_PERIOD=\d{4}-\d{2}$/.test(e))
    .map(e => e.slice('BILLING_PERIOD='.length))
    .filter(p => parseDay(`${p}-01`) !== undefined)
    .sort();
}
