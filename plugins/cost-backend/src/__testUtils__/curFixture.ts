import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';

/** One CUR 2.0 line of a test export (the columns the export source reads). */
export interface CurLine {
  day: string; // YYYY-MM-DD
  account: string;
  accountName?: string;
  type: string; // line_item_line_item_type
  productCode?: string;
  productName: string;
  entity?: string;
  unblended: number;
  /** Amortized figure on the column AWS's formula reads for this line type (default = unblended). */
  amortized?: number;
  tags?: Record<string, string>;
  costCategory?: Record<string, string>;
  invoiced?: boolean;
}

const q = (v: string) => `'${v.replace(/'/g, "''")}'`;
const map = (m: Record<string, string> | undefined) =>
  m && Object.keys(m).length
    ? `MAP {${Object.entries(m)
        .map(([k, v]) => `${q(k)}: ${q(v)}`)
        .join(', ')}}`
    : 'CAST(MAP {} AS MAP(VARCHAR, VARCHAR))';

/**
 * Writes lines as a CUR 2.0 export folder (`<dir>/<name>/data/BILLING_PERIOD=YYYY-MM/<name>-00001.snappy.parquet`)
 * with DuckDB: a fixture for the source's SQL, independent of the loopback estate.
 */
export async function writeCurFixture(
  dir: string,
  lines: CurLine[],
  name = 'test-cur2',
): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const files: string[] = [];
  try {
    const periods = [...new Set(lines.map(l => l.day.slice(0, 7)))];
    for (const period of periods) {
      const rows = lines
        .filter(l => l.day.slice(0, 7) === period)
        .map((l, i) => {
          const amortized = l.amortized ?? l.unblended;
          const next = new Date(`${l.day}T00:00:00Z`);
          next.setUTCDate(next.getUTCDate() + 1);
          const end = next.toISOString().slice(0, 10);
          const col = (type: string) => (l.type === type ? amortized : 0);
          return `SELECT ${q(`${period}-${i}`)} AS identity_line_item_id,
            ${q(l.invoiced ? `INV-${period}` : '')} AS bill_invoice_id,
            ${q(l.entity ?? 'AWS')} AS bill_billing_entity,
            ${q(l.account)} AS line_item_usage_account_id,
            ${q(
              l.accountName ?? `acct-${l.account}`,
            )} AS line_item_usage_account_name,
            ${q(l.type)} AS line_item_line_item_type,
            TIMESTAMP ${q(`${l.day} 00:00:00`)} AS line_item_usage_start_date,
            TIMESTAMP ${q(`${end} 00:00:00`)} AS line_item_usage_end_date,
            ${q(l.productCode ?? 'AmazonEC2')} AS line_item_product_code,
            'USD' AS line_item_currency_code,
            CAST(${l.unblended} AS DOUBLE) AS line_item_unblended_cost,
            CAST(${l.unblended} AS DOUBLE) AS line_item_blended_cost,
            CAST(${
              l.unblended * 0.97
            } AS DOUBLE) AS line_item_net_unblended_cost,
            MAP {'product_name': ${q(l.productName)}} AS product,
            CAST(${col(
              'SavingsPlanCoveredUsage',
            )} AS DOUBLE) AS savings_plan_savings_plan_effective_cost,
            CAST(${
              l.type === 'SavingsPlanRecurringFee' ? l.unblended : 0
            } AS DOUBLE) AS savings_plan_total_commitment_to_date,
            CAST(${
              l.type === 'SavingsPlanRecurringFee' ? l.unblended - amortized : 0
            } AS DOUBLE) AS savings_plan_used_commitment,
            CAST(${col(
              'DiscountedUsage',
            )} AS DOUBLE) AS reservation_effective_cost,
            CAST(${col(
              'RIFee',
            )} AS DOUBLE) AS reservation_unused_amortized_upfront_fee_for_billing_period,
            CAST(0 AS DOUBLE) AS reservation_unused_recurring_fee,
            '' AS reservation_reservation_a_r_n,
            ${map(l.tags)} AS resource_tags,
            ${map(l.costCategory)} AS cost_category`;
        });
      const folder = path.join(dir, name, 'data', `BILLING_PERIOD=${period}`);
      fs.mkdirSync(folder, { recursive: true });
      const file = path.join(folder, `${name}-00001.snappy.parquet`);
      await connection.run(
        `COPY (${rows.join('\nUNION ALL BY NAME\n')}) TO ${q(
          file,
        )} (FORMAT parquet, COMPRESSION snappy)`,
      );
      files.push(file);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return files;
}
