/**
 * How a data export's columns answer Cost Explorer's dimensions and metrics: one mapping per export
 * format (CUR 2.0, FOCUS 1.x). Every expression keeps to the SQL both Athena (Trino, engine v3) and
 * DuckDB run: CASE, CAST, COALESCE, date_trunc, map_keys/contains and `m['key']` guarded by them
 * (Trino fails on a missing key, DuckDB's element_at returns a list).
 */

export type ExportFormat = 'cur2' | 'focus1';

/** SQL expressions over one export line, named after what Cost Explorer calls them. */
export interface ExportSchema {
  format: ExportFormat;
  /** The line's usage start (a TIMESTAMP). */
  usageStart: string;
  /** The hive partition column, valued YYYY-MM (a Data Export's BILLING_PERIOD=YYYY-MM folders). */
  partition: string;
  /** LINKED_ACCOUNT and its name. */
  accountId: string;
  accountName: string;
  /** SERVICE, as Cost Explorer names it (e.g. Amazon Relational Database Service). */
  service: string;
  /** RECORD_TYPE, as Cost Explorer names it (Usage, Tax, Support, SavingsPlanCoveredUsage, ...). */
  recordType: string;
  /** BILLING_ENTITY: AWS or AWS Marketplace. */
  billingEntity: string;
  /** The amounts' currency (Cost Explorer's Unit). */
  currency: string;
  /** True while the line's month is not invoiced (Cost Explorer's Estimated). */
  uninvoiced: string;
  /** An activated cost allocation tag's value, or NULL. */
  tag(key: string): string;
  /** A Cost Category's value, or NULL. */
  costCategory(name: string): string;
  /** A Cost Explorer metric's amount of the line, or undefined when the format has no such figure. */
  amount(metric: string): string | undefined;
}

/** A SQL string literal. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `map[key]`, NULL when the key is missing, on Trino and DuckDB alike. */
export function mapValue(map: string, key: string): string {
  return `CASE WHEN contains(map_keys(${map}), ${literal(
    key,
  )}) THEN ${map}[${literal(key)}] END`;
}

/**
 * CUR 2.0's key for a user-defined cost allocation tag in `resource_tags`: `user_` and the key, its
 * characters other than letters, digits and '_' written as '_' (e.g. cost-centre -> user_cost_centre).
 */
export function cur2TagKey(tagKey: string): string {
  return `user_${tagKey.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

const num = (column: string) => `COALESCE(${column}, 0)`;

/**
 * CUR 2.0 (Data Exports, table-dictionary-cur2). Record types map one to one, except Cost
 * Explorer's Support, which CUR writes as a Fee of the AWSSupport* product codes. Amortized cost is
 * AWS's documented formula: covered usage at its effective cost, the unused part of commitments on
 * the fee lines, negations and upfront fees at 0.
 */
export const CUR2: ExportSchema = {
  format: 'cur2',
  usageStart: 'line_item_usage_start_date',
  partition: 'billing_period',
  accountId: 'line_item_usage_account_id',
  accountName: `COALESCE(line_item_usage_account_name, '')`,
  service: `COALESCE(${mapValue(
    'product',
    'product_name',
  )}, line_item_product_code, '')`,
  recordType:
    "CASE WHEN line_item_line_item_type = 'Fee' AND line_item_product_code LIKE 'AWSSupport%' THEN 'Support' " +
    'ELSE line_item_line_item_type END',
  billingEntity: `COALESCE(bill_billing_entity, 'AWS')`,
  currency: `COALESCE(line_item_currency_code, 'USD')`,
  uninvoiced: `COALESCE(bill_invoice_id, '') = ''`,
  tag: key => mapValue('resource_tags', cur2TagKey(key)),
  costCategory: name => mapValue('cost_category', name),
  amount(metric) {
    switch (metric) {
      case 'UnblendedCost':
        return num('line_item_unblended_cost');
      case 'BlendedCost':
        return num('line_item_blended_cost');
      case 'NetUnblendedCost':
        return num(
          'COALESCE(line_item_net_unblended_cost, line_item_unblended_cost)',
        );
      case 'AmortizedCost':
        return (
          'CASE line_item_line_item_type ' +
          `WHEN 'SavingsPlanCoveredUsage' THEN ${num(
            'savings_plan_savings_plan_effective_cost',
          )} ` +
          `WHEN 'SavingsPlanRecurringFee' THEN ${num(
            'savings_plan_total_commitment_to_date',
          )} - ${num('savings_plan_used_commitment')} ` +
          "WHEN 'SavingsPlanNegation' THEN 0 " +
          "WHEN 'SavingsPlanUpfrontFee' THEN 0 " +
          `WHEN 'DiscountedUsage' THEN ${num('reservation_effective_cost')} ` +
          `WHEN 'RIFee' THEN ${num(
            'reservation_unused_amortized_upfront_fee_for_billing_period',
          )} + ${num('reservation_unused_recurring_fee')} ` +
          `WHEN 'Fee' THEN CASE WHEN COALESCE(reservation_reservation_a_r_n, '') <> '' THEN 0 ELSE ${num(
            'line_item_unblended_cost',
          )} END ` +
          `ELSE ${num('line_item_unblended_cost')} END`
        );
      default:
        return undefined;
    }
  },
};

/**
 * FOCUS 1.x (AWS's "FOCUS 1.2 with AWS columns" export). BilledCost is Cost Explorer's unblended cost
 * and EffectiveCost its amortized cost; ChargeCategory with the commitment discount columns gives
 * the record type; user tags are `user:<key>` in Tags; AWS's own Cost Categories are in
 * x_CostCategories. Not covered by the parity test (the loopback writes CUR 2.0 only).
 */
export const FOCUS1: ExportSchema = {
  format: 'focus1',
  usageStart: 'ChargePeriodStart',
  partition: 'billing_period',
  accountId: 'SubAccountId',
  accountName: `COALESCE(SubAccountName, '')`,
  service: `COALESCE(ServiceName, '')`,
  recordType:
    "CASE WHEN ChargeCategory = 'Tax' THEN 'Tax' " +
    "WHEN ChargeCategory = 'Credit' THEN 'Credit' " +
    "WHEN ChargeCategory = 'Adjustment' THEN 'Refund' " +
    "WHEN ServiceName LIKE 'AWS Support%' THEN 'Support' " +
    "WHEN ChargeCategory = 'Purchase' AND CommitmentDiscountType = 'Savings Plan' THEN 'SavingsPlanUpfrontFee' " +
    "WHEN ChargeCategory = 'Purchase' THEN 'Fee' " +
    "WHEN CommitmentDiscountStatus = 'Unused' AND CommitmentDiscountType = 'Savings Plan' THEN 'SavingsPlanRecurringFee' " +
    "WHEN CommitmentDiscountStatus = 'Unused' THEN 'RIFee' " +
    "WHEN CommitmentDiscountStatus = 'Used' AND CommitmentDiscountType = 'Savings Plan' THEN 'SavingsPlanCoveredUsage' " +
    "WHEN CommitmentDiscountStatus = 'Used' THEN 'DiscountedUsage' " +
    "ELSE 'Usage' END",
  billingEntity:
    "CASE WHEN COALESCE(PublisherName, 'AWS') IN ('AWS', 'Amazon Web Services') THEN 'AWS' ELSE 'AWS Marketplace' END",
  currency: `COALESCE(BillingCurrency, 'USD')`,
  uninvoiced: `COALESCE(InvoiceId, '') = ''`,
  tag: key => mapValue('Tags', `user:${key}`),
  costCategory: name => mapValue('x_CostCategories', name),
  amount(metric) {
    switch (metric) {
      case 'UnblendedCost':
        return num('BilledCost');
      case 'AmortizedCost':
        return num('EffectiveCost');
      default:
        return undefined;
    }
  },
};

export const SCHEMAS: Record<ExportFormat, ExportSchema> = {
  cur2: CUR2,
  focus1: FOCUS1,
};
