import type {
  Granularity,
  Grouping,
  UsageFilter,
  UsagePeriod,
  UsageQuery,
  UsageResult,
  UsageRow,
} from '../../service/types';
import {
  TAGGABLE_BILLING_ENTITY,
  TAGGABLE_RECORD_TYPES,
} from '../../service/chargeTypes';
import { ExportSchema, literal } from './schema';
import type { Cell } from './engines';

/**
 * Many usage views from one aggregate query: the export's lines grouped by every dimension any of
 * the views groups or filters by (period, account, AWS service, record type, billing entity, the
 * taxonomy tags' values, presence flags of the keys only filtered on, the Cost Category), then each
 * view's rows computed from those groups in memory. The number of queries is fixed by the
 * granularities asked, whatever the number of products; the rows grow with the distinct
 * combinations, as Cost Explorer's pages do.
 */

/** One column of the aggregate: what it is, so rows can be read back into views. */
type Dimension =
  | { kind: 'account' }
  | { kind: 'accountName' }
  | { kind: 'service' }
  | { kind: 'recordType' }
  | { kind: 'billingEntity' }
  | { kind: 'currency' }
  | { kind: 'tag'; key: string }
  | { kind: 'present'; key: string }
  | { kind: 'costCategory'; name: string };

function dimensionId(d: Dimension): string {
  if ('key' in d) return `${d.kind}:${d.key}`;
  if ('name' in d) return `${d.kind}:${d.name}`;
  return d.kind;
}

/** A plan for one granularity: the SQL, and how to read each view out of its rows. */
export interface AggregatePlan {
  granularity: Granularity;
  sql: string;
  /** Billing periods (YYYY-MM) the query reads. */
  partitions: { from: string; to: string };
  /** Column alias -> dimension. */
  columns: Array<{ alias: string; dimension: Dimension }>;
  /** The filter every query of the plan shares, applied in SQL (so its dimensions are not grouped). */
  pushed?: UsageFilter;
}

/** A fact's dimension values: one array per fact over an index shared by the plan (facts are many). */
export class FactValues {
  constructor(
    private readonly index: Map<string, number>,
    private readonly cells: string[],
  ) {}

  get(id: string): string | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.cells[i];
  }
}

/** A grouped line of the aggregate, read back. */
export interface Fact {
  period: string;
  values: FactValues;
  amount: number;
  uninvoiced: boolean;
}

const monthOf = (day: string) => day.slice(0, 7);

function lastDayBefore(end: string): string {
  const d = new Date(`${end}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function groupingDimensions(g: Grouping): Dimension[] {
  if ('tag' in g) return [{ kind: 'tag', key: g.tag }];
  if ('costCategory' in g)
    return [{ kind: 'costCategory', name: g.costCategory }];
  switch (g.dimension) {
    case 'LINKED_ACCOUNT':
      return [{ kind: 'account' }, { kind: 'accountName' }];
    case 'SERVICE':
      return [{ kind: 'service' }];
    case 'RECORD_TYPE':
      return [{ kind: 'recordType' }];
    case 'BILLING_ENTITY':
      return [{ kind: 'billingEntity' }];
    default:
      throw new Error(`Unknown grouping ${JSON.stringify(g)}`);
  }
}

function filterDimensions(
  filter: UsageFilter | undefined,
  grouped: Set<string>,
): Dimension[] {
  const dims: Dimension[] = [];
  // A key grouped by already says whether it is present; others need a flag only.
  for (const key of [
    ...(filter?.tagsAbsent ?? []),
    ...(filter?.tagsPresent ?? []),
  ])
    if (!grouped.has(`tag:${key}`)) dims.push({ kind: 'present', key });
  if (filter?.linkedAccounts?.length || filter?.excludeLinkedAccounts?.length)
    dims.push({ kind: 'account' });
  if (filter?.taggableOnly)
    dims.push({ kind: 'recordType' }, { kind: 'billingEntity' });
  return dims;
}

function sameFilter(a?: UsageFilter, b?: UsageFilter): boolean {
  const norm = (f?: UsageFilter) =>
    JSON.stringify({
      tagsAbsent: [...(f?.tagsAbsent ?? [])].sort(),
      tagsPresent: [...(f?.tagsPresent ?? [])].sort(),
      linkedAccounts: [...(f?.linkedAccounts ?? [])].sort(),
      excludeLinkedAccounts: [...(f?.excludeLinkedAccounts ?? [])].sort(),
      taggableOnly: Boolean(f?.taggableOnly),
    });
  return norm(a) === norm(b);
}

function dimensionSql(schema: ExportSchema, d: Dimension): string {
  switch (d.kind) {
    case 'account':
      return schema.accountId;
    case 'accountName':
      return schema.accountName;
    case 'service':
      return schema.service;
    case 'recordType':
      return schema.recordType;
    case 'billingEntity':
      return schema.billingEntity;
    case 'currency':
      return schema.currency;
    case 'tag':
      return `COALESCE(${schema.tag(d.key)}, '')`;
    case 'present':
      return `CASE WHEN COALESCE(${schema.tag(
        d.key,
      )}, '') <> '' THEN 1 ELSE 0 END`;
    case 'costCategory':
      return `COALESCE(${schema.costCategory(d.name)}, '')`;
    default:
      throw new Error('unreachable');
  }
}

/** A filter as a SQL condition (for the filter every query of a plan shares). */
function filterSql(schema: ExportSchema, filter: UsageFilter): string[] {
  const parts: string[] = [];
  for (const key of filter.tagsAbsent ?? [])
    parts.push(`COALESCE(${schema.tag(key)}, '') = ''`);
  for (const key of filter.tagsPresent ?? [])
    parts.push(`COALESCE(${schema.tag(key)}, '') <> ''`);
  if (filter.linkedAccounts?.length)
    parts.push(
      `${schema.accountId} IN (${filter.linkedAccounts
        .map(literal)
        .join(', ')})`,
    );
  if (filter.excludeLinkedAccounts?.length)
    parts.push(
      `${schema.accountId} NOT IN (${filter.excludeLinkedAccounts
        .map(literal)
        .join(', ')})`,
    );
  if (filter.taggableOnly)
    parts.push(
      `${schema.recordType} IN (${TAGGABLE_RECORD_TYPES.map(literal).join(
        ', ',
      )})`,
      `${schema.billingEntity} = ${literal(TAGGABLE_BILLING_ENTITY)}`,
    );
  return parts;
}

/**
 * The aggregate query answering every query of one granularity (they share start, end and metric;
 * the refresh asks them so). `scopeAccount` limits it to one linked account.
 */
export function planAggregate(
  schema: ExportSchema,
  table: string,
  queries: UsageQuery[],
  scopeAccount?: string,
): AggregatePlan {
  const { granularity, start, end, metric } = queries[0];
  for (const q of queries)
    if (
      q.granularity !== granularity ||
      q.start !== start ||
      q.end !== end ||
      q.metric !== metric
    )
      throw new Error(
        'planAggregate: every query of a plan must share granularity, start, end and metric',
      );
  const amount = schema.amount(metric);
  if (!amount)
    throw new Error(`The ${schema.format} export has no ${metric} figure`);
  const pushed = queries.every(q => sameFilter(q.filter, queries[0].filter))
    ? queries[0].filter
    : undefined;

  const dims = new Map<string, Dimension>();
  const add = (d: Dimension) => dims.set(dimensionId(d), d);
  add({ kind: 'currency' });
  for (const q of queries) q.groupBy.flatMap(groupingDimensions).forEach(add);
  const grouped = new Set(dims.keys());
  if (!pushed)
    for (const q of queries) filterDimensions(q.filter, grouped).forEach(add);

  const period =
    granularity === 'MONTHLY'
      ? `CAST(CAST(date_trunc('month', ${schema.usageStart}) AS DATE) AS VARCHAR)`
      : `CAST(CAST(${schema.usageStart} AS DATE) AS VARCHAR)`;
  const columns = [...dims.values()].map((dimension, i) => ({
    alias: `d${i}`,
    dimension,
  }));
  const partitions = { from: monthOf(start), to: monthOf(lastDayBefore(end)) };
  const where = [
    `${schema.partition} >= ${literal(partitions.from)}`,
    `${schema.partition} <= ${literal(partitions.to)}`,
    `${schema.usageStart} >= TIMESTAMP ${literal(`${start} 00:00:00`)}`,
    `${schema.usageStart} < TIMESTAMP ${literal(`${end} 00:00:00`)}`,
    ...(scopeAccount ? [`${schema.accountId} = ${literal(scopeAccount)}`] : []),
    ...(pushed ? filterSql(schema, pushed) : []),
  ];
  const select = [
    `${period} AS period`,
    ...columns.map(c => `${dimensionSql(schema, c.dimension)} AS ${c.alias}`),
    `SUM(${amount}) AS amount`,
    `MAX(CASE WHEN ${schema.uninvoiced} THEN 1 ELSE 0 END) AS uninvoiced`,
  ];
  const sql =
    `SELECT ${select.join(',\n  ')}\nFROM ${table}\nWHERE ${where.join(
      '\n  AND ',
    )}\n` +
    `GROUP BY ${select
      .slice(0, columns.length + 1)
      .map((_, i) => i + 1)
      .join(', ')}`;
  return { granularity, sql, partitions, columns, pushed };
}

/** The aggregate's rows read back into facts. */
export function readFacts(
  plan: AggregatePlan,
  rows: Array<Record<string, Cell>>,
): Fact[] {
  const index = new Map(
    plan.columns.map((c, i) => [dimensionId(c.dimension), i] as const),
  );
  // The same few names repeat over many rows: keep one copy of each.
  const pool = new Map<string, string>();
  const intern = (cell: Cell) => {
    const text = cell === null ? '' : String(cell);
    const known = pool.get(text);
    if (known !== undefined) return known;
    pool.set(text, text);
    return text;
  };
  return rows.map(row => ({
    period: intern(row.period),
    values: new FactValues(
      index,
      plan.columns.map(c => intern(row[c.alias])),
    ),
    amount: Number(row.amount ?? 0),
    uninvoiced: Number(row.uninvoiced ?? 0) > 0,
  }));
}

/** Cost Explorer's periods of a query: months (the first from `start`) or days, up to `end`. */
export function periodsOf(
  start: string,
  end: string,
  granularity: Granularity,
): string[] {
  const periods: string[] = [];
  let day = start;
  while (day < end) {
    periods.push(day);
    const d = new Date(`${day}T00:00:00Z`);
    if (granularity === 'DAILY') d.setUTCDate(d.getUTCDate() + 1);
    else d.setUTCMonth(d.getUTCMonth() + 1, 1);
    day = d.toISOString().slice(0, 10);
  }
  return periods;
}

function present(fact: Fact, key: string): boolean {
  const value = fact.values.get(`tag:${key}`);
  if (value !== undefined) return value !== '';
  return fact.values.get(`present:${key}`) === '1';
}

function matches(fact: Fact, filter: UsageFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.tagsAbsent?.some(key => present(fact, key))) return false;
  if (filter.tagsPresent?.some(key => !present(fact, key))) return false;
  const account = fact.values.get('account');
  if (
    filter.linkedAccounts?.length &&
    !filter.linkedAccounts.includes(account!)
  )
    return false;
  if (filter.excludeLinkedAccounts?.includes(account!)) return false;
  if (
    filter.taggableOnly &&
    !(
      TAGGABLE_RECORD_TYPES.includes(fact.values.get('recordType')!) &&
      fact.values.get('billingEntity') === TAGGABLE_BILLING_ENTITY
    )
  )
    return false;
  return true;
}

function groupValue(fact: Fact, g: Grouping): string {
  if ('tag' in g) return fact.values.get(`tag:${g.tag}`) ?? '';
  if ('costCategory' in g) {
    const value = fact.values.get(`costCategory:${g.costCategory}`) ?? '';
    return value === g.defaultValue ? '' : value;
  }
  switch (g.dimension) {
    case 'LINKED_ACCOUNT':
      return fact.values.get('account') ?? '';
    case 'SERVICE':
      return fact.values.get('service') ?? '';
    case 'RECORD_TYPE':
      return fact.values.get('recordType') ?? '';
    default:
      return fact.values.get('billingEntity') ?? '';
  }
}

/**
 * Which months are still estimated: a month is final only when it has lines and every one of them
 * is on an invoice (CUR's bill_invoice_id); a month without lines (not delivered yet) is estimated.
 */
export function estimatedMonths(facts: Fact[]): Map<string, boolean> {
  const months = new Map<string, boolean>();
  for (const f of facts) {
    const month = monthOf(f.period);
    months.set(month, (months.get(month) ?? false) || f.uninvoiced);
  }
  return months;
}

/** One view's answer, as Cost Explorer's source gives it (rows per period and group, every period). */
export function answer(
  query: UsageQuery,
  facts: Fact[],
  estimated: Map<string, boolean>,
  /** The query's filter was applied in SQL already (the plan's shared filter). */
  filtered = false,
): UsageResult {
  const isEstimated = (period: string) =>
    estimated.get(monthOf(period)) ?? true;
  const rows = new Map<string, UsageRow>();
  const accountNames: Record<string, string> = {};
  const units = new Set<string>();
  const groupsAccounts = query.groupBy.some(
    g => 'dimension' in g && g.dimension === 'LINKED_ACCOUNT',
  );
  for (const fact of facts) {
    if (!filtered && !matches(fact, query.filter)) continue;
    const key1 = groupValue(fact, query.groupBy[0]);
    const key2 = groupValue(fact, query.groupBy[1]);
    // Monthly facts are keyed by their month's first day; the first period may start later.
    const periodStart =
      query.granularity === 'MONTHLY' && fact.period < query.start
        ? query.start
        : fact.period;
    const id = `${periodStart}\u0000${key1}\u0000${key2}`;
    const row = rows.get(id);
    if (row) row.amount += fact.amount;
    else
      rows.set(id, {
        periodStart,
        key1,
        key2,
        amount: fact.amount,
        provisional: isEstimated(periodStart),
      });
    units.add(fact.values.get('currency') ?? 'USD');
    if (groupsAccounts) {
      const account = fact.values.get('account');
      const name = fact.values.get('accountName');
      if (account && name) accountNames[account] = name;
    }
  }
  const periods: UsagePeriod[] = periodsOf(
    query.start,
    query.end,
    query.granularity,
  ).map(start => ({ start, estimated: isEstimated(start) }));
  return {
    rows: [...rows.values()],
    periods,
    accountNames,
    calls: 0,
    units: [...units],
  };
}
