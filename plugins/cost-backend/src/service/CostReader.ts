import type {
  AccountFreshness,
  CostAnomaly,
  CostBreakdownLine,
  CostForecast,
  CostFreshness,
  CostOverview,
  EntityCost,
  MonthlyAmount,
  ProductCostDetail,
  ProductCostSummary,
  TagCoverage,
  UnallocatedReport,
  UnitCost,
} from '@internal/cost-common';
import { CostStore, FactRow } from '../database/CostStore';
import { VIEW } from './CostRefresh';
import { addDays, isoDay, monthOf, monthStart } from './dates';

/** What the reader needs to know of the catalog: products, services and teams by name. */
export interface CatalogDirectory {
  systems: Map<string, { ref: string; title?: string; domain?: string; owner?: string }>;
  components: Map<string, { ref: string; system?: string; owner?: string }>;
  groups: Map<string, { ref: string; title?: string }>;
}

/** How a shared cost pool (a `product` tag value such as `shared`) is split across products. */
export interface SharedCostRule {
  pool: string;
  split: 'even' | 'proportional' | 'fixed';
  /** For `fixed`: product -> percent; what is not assigned stays with the pool as unallocated. */
  percentages?: Record<string, number>;
}

/** A business metric per product and month, for cost per 1,000 units. */
export interface UnitMetric {
  product: string;
  metric: string;
  monthly: Record<string, number>;
}

export interface CostReaderOptions {
  currency: string;
  metric: string;
  productTag: string;
  serviceTag: string;
  teamTag: string;
  sharedRules: SharedCostRule[];
  unitMetrics: UnitMetric[];
}

/** Which products the caller may see: all, or those this predicate allows. */
export type ProductVisibility = { all: true } | { all: false; products: Set<string> };

const round = (n: number) => Math.round(n * 100) / 100;
const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10000) / 100);
const change = (now: number, before: number) => (before === 0 ? null : Math.round(((now - before) / before) * 10000) / 100);

type MonthTotals = Map<string, { amount: number; provisional: boolean }>;

function sumBy(rows: FactRow[], key: (r: FactRow) => string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(key(r), (sums.get(key(r)) ?? 0) + r.amount);
  return sums;
}

function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Answers every cost question from the store (never from AWS). */
export class CostReader {
  constructor(
    private readonly store: CostStore,
    private readonly options: CostReaderOptions,
    private readonly catalog: () => Promise<CatalogDirectory>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private months() {
    const today = isoDay(this.now());
    return {
      today,
      lastFullMonth: monthOf(monthStart(today, -1)),
      previousMonth: monthOf(monthStart(today, -2)),
      currentMonth: monthOf(today),
      historyFrom: monthStart(today, -13),
    };
  }

  async freshness(): Promise<CostFreshness> {
    const [history, names] = await Promise.all([this.store.refreshHistory('usage'), this.store.accountNames()]);
    const accounts: AccountFreshness[] = history.map(h => ({
      accountId: h.scope,
      accountName: h.scope === 'organization' ? 'management account (all accounts)' : names[h.scope],
      lastSuccessAt: h.lastSuccessAt,
      lastError:
        h.latest.status === 'failed'
          ? { at: h.latest.finishedAt ?? h.latest.startedAt, code: h.latest.errorCode ?? 'Error', message: h.latest.errorMessage ?? '' }
          : undefined,
      stale: h.latest.status === 'failed',
    }));
    const successes = accounts.map(a => a.lastSuccessAt).filter((t): t is string => Boolean(t)).sort();
    return { refreshedAt: successes[successes.length - 1], accounts };
  }

  /** product -> month -> direct amount, from the per-account view (every dollar once). */
  private async productMonths(): Promise<Map<string, MonthTotals>> {
    const from = this.months().historyFrom;
    const [rows, sharedAccounts] = await Promise.all([
      this.store.totalsByKey1(VIEW.productAccount, 'MONTHLY', from),
      this.store.totalsByKey1(VIEW.sharedAccount, 'MONTHLY', from),
    ]);
    const byProduct = new Map<string, MonthTotals>();
    // A shared account's whole spend is a pool named after it (see settings: sharedAccountPool).
    for (const r of [...rows, ...sharedAccounts.map(a => ({ ...a, key1: `account:${a.key1}` }))]) {
      let months = byProduct.get(r.key1);
      if (!months) byProduct.set(r.key1, (months = new Map()));
      const month = monthOf(r.period_start);
      const entry = months.get(month) ?? { amount: 0, provisional: false };
      entry.amount += r.amount;
      entry.provisional = entry.provisional || r.provisional;
      months.set(month, entry);
    }
    return byProduct;
  }

  private pools(): Set<string> {
    return new Set(this.options.sharedRules.map(r => r.pool));
  }

  /** Shared pools split over the catalog's products, month by month, by each pool's rule. */
  private allocateShared(byProduct: Map<string, MonthTotals>, products: string[], month: string): Map<string, number> {
    const allocated = new Map<string, number>(products.map(p => [p, 0]));
    const direct = new Map(products.map(p => [p, byProduct.get(p)?.get(month)?.amount ?? 0]));
    const directTotal = [...direct.values()].reduce((a, b) => a + b, 0);
    for (const rule of this.options.sharedRules) {
      const pool = byProduct.get(rule.pool)?.get(month)?.amount ?? 0;
      if (pool === 0 || products.length === 0) continue;
      for (const product of products) {
        let share = 0;
        if (rule.split === 'even') share = pool / products.length;
        else if (rule.split === 'proportional') share = directTotal === 0 ? 0 : (pool * direct.get(product)!) / directTotal;
        else share = (pool * (rule.percentages?.[product] ?? 0)) / 100;
        allocated.set(product, allocated.get(product)! + share);
      }
    }
    return allocated;
  }

  async forecast(visibility: ProductVisibility): Promise<CostForecast> {
    const { today, currentMonth } = this.months();
    const [periods, byProduct, shares] = await Promise.all([this.store.forecasts(), this.productMonths(), this.runRateShares()]);
    const rest = periods.find(p => monthOf(p.start) === currentMonth && p.start >= today.slice(0, 8));
    const next = periods.find(p => monthOf(p.start) > currentMonth);
    const mtdOf = (product: string) => byProduct.get(product)?.get(currentMonth)?.amount ?? 0;
    const products = [...byProduct.keys()].filter(p => p !== '' && !this.pools().has(p) && (visibility.all || visibility.products.has(p)));
    const monthToDate = visibility.all ? [...byProduct.keys()].reduce((s, p) => s + mtdOf(p), 0) : 0;
    return {
      currency: this.options.currency,
      metric: this.options.metric,
      currentMonth,
      current:
        rest && visibility.all
          ? { monthToDate: round(monthToDate), mean: round(monthToDate + rest.mean), low: round(monthToDate + rest.low), high: round(monthToDate + rest.high) }
          : undefined,
      next: next && visibility.all ? { month: monthOf(next.start), mean: round(next.mean), low: round(next.low), high: round(next.high) } : undefined,
      byProduct: rest
        ? products
            .map(product => ({ product, monthToDate: round(mtdOf(product)), forecastMonth: round(mtdOf(product) + rest.mean * (shares.get(product) ?? 0)) }))
            .sort((a, b) => b.forecastMonth - a.forecastMonth)
        : [],
    };
  }

  private async forecastRemainder(): Promise<number | undefined> {
    const { today, currentMonth } = this.months();
    const periods = await this.store.forecasts();
    const current = periods.find(p => monthOf(p.start) === currentMonth && p.start >= today.slice(0, 8));
    return current?.mean;
  }

  /** Each product's share of the last 7 days of daily cost: how the month's forecast is split. */
  private async runRateShares(): Promise<Map<string, number>> {
    const rows = await this.store.totalsByKey1(VIEW.productService, 'DAILY', addDays(this.months().today, -8));
    const sums = new Map<string, number>();
    for (const r of rows) sums.set(r.key1, (sums.get(r.key1) ?? 0) + r.amount);
    const total = [...sums.values()].reduce((a, b) => a + b, 0);
    return new Map([...sums].map(([p, v]) => [p, total === 0 ? 0 : v / total]));
  }

  private unitCost(product: string, monthly: Array<{ month: string; total: number }>): UnitCost | undefined {
    const metric = this.options.unitMetrics.find(m => m.product === product);
    if (!metric) return undefined;
    const trend = monthly
      .filter(m => metric.monthly[m.month] > 0)
      .map(m => ({ month: m.month, units: metric.monthly[m.month], costPerThousand: round((m.total / metric.monthly[m.month]) * 1000) }));
    return trend.length > 0 ? { metric: metric.metric, trend } : undefined;
  }

  private summaries(
    byProduct: Map<string, MonthTotals>,
    catalog: CatalogDirectory,
    forecastRemainder: number | undefined,
    shares: Map<string, number>,
    pool?: string,
  ): ProductCostSummary[] {
    const { lastFullMonth, previousMonth, currentMonth } = this.months();
    const pools = this.pools();
    const names = [...new Set([...catalog.systems.keys(), ...byProduct.keys()])].filter(p => p !== '' && (!pools.has(p) || p === pool));
    const catalogProducts = names.filter(p => catalog.systems.has(p));
    const sharedLast = this.allocateShared(byProduct, catalogProducts, lastFullMonth);
    const directLastTotal = names.reduce((sum, p) => sum + (byProduct.get(p)?.get(lastFullMonth)?.amount ?? 0), 0);
    const sparkMonths = Array.from({ length: 6 }, (_, i) => monthOf(monthStart(`${lastFullMonth}-01`, i - 5)));
    return names
      .map(product => {
        const months = byProduct.get(product) ?? new Map();
        const last = months.get(lastFullMonth)?.amount ?? 0;
        const mtd = months.get(currentMonth)?.amount ?? 0;
        const system = catalog.systems.get(product);
        const history = [...months.entries()].sort().map(([month, v]) => ({ month, total: v.amount + (month === lastFullMonth ? sharedLast.get(product) ?? 0 : 0) }));
        return {
          product,
          entityRef: system?.ref,
          title: system?.title,
          domain: system?.domain,
          owner: system?.owner,
          sharedPool: pools.has(product) || undefined,
          lastFullMonth: round(last),
          monthToDate: round(mtd),
          forecastMonth: forecastRemainder === undefined ? undefined : round(mtd + forecastRemainder * (shares.get(product) ?? 0)),
          monthOverMonthPercent: change(last, months.get(previousMonth)?.amount ?? 0),
          sparkline: sparkMonths.map(month => ({ month, amount: round(months.get(month)?.amount ?? 0), provisional: Boolean(months.get(month)?.provisional) })),
          sharePercent: percent(last, directLastTotal),
          sharedLastFullMonth: round(sharedLast.get(product) ?? 0),
          unitCost: this.unitCost(product, history.filter(h => h.month <= lastFullMonth)),
        };
      })
      .sort((a, b) => b.lastFullMonth - a.lastFullMonth);
  }

  private async coverage(month: string, filter: (r: FactRow) => boolean = () => true) {
    const from = `${month}-01`;
    const [covered, total] = await Promise.all([
      this.store.facts(VIEW.coveredTeamService, 'MONTHLY', { from }),
      this.store.facts(VIEW.teamService, 'MONTHLY', { from }),
    ]);
    const inMonth = (r: FactRow) => monthOf(r.period_start) === month && filter(r);
    return { covered: covered.filter(inMonth), total: total.filter(inMonth) };
  }

  private static coverageOf(covered: FactRow[], total: FactRow[]): TagCoverage {
    const c = covered.reduce((s, r) => s + r.amount, 0);
    const t = total.reduce((s, r) => s + r.amount, 0);
    return { coveredPercent: percent(c, t), coveredAmount: round(c), totalAmount: round(t) };
  }

  async overview(visibility: ProductVisibility): Promise<CostOverview> {
    const { lastFullMonth, previousMonth, currentMonth } = this.months();
    const [catalog, byProduct, freshness, remainder, shares] = await Promise.all([
      this.catalog(),
      this.productMonths(),
      this.freshness(),
      this.forecastRemainder(),
      this.runRateShares(),
    ]);
    const pools = this.pools();
    const visible = (p: string) => visibility.all || visibility.products.has(p);
    const products = this.summaries(byProduct, catalog, remainder, shares).filter(p => visible(p.product));
    const monthsSeen = [...new Set([...byProduct.values()].flatMap(m => [...m.keys()]))].sort();
    const amountIn = (product: string, month: string) => byProduct.get(product)?.get(month)?.amount ?? 0;
    const allProducts = [...byProduct.keys()];
    const totalIn = (month: string) =>
      visibility.all ? allProducts.reduce((s, p) => s + amountIn(p, month), 0) : products.reduce((s, p) => s + amountIn(p.product, month), 0);
    const poolIn = (month: string) => [...pools].reduce((s, p) => s + amountIn(p, month), 0);

    // Team-level coverage: summed per team in SQL, not per team x service.
    const [coveredByTeam, totalByTeam] = await Promise.all([
      this.store.totalsByKey1(VIEW.coveredTeamService, 'MONTHLY', `${lastFullMonth}-01`),
      this.store.totalsByKey1(VIEW.teamService, 'MONTHLY', `${lastFullMonth}-01`),
    ]);
    const inLastMonth = (r: { period_start: string }) => monthOf(r.period_start) === lastFullMonth;
    const covered = coveredByTeam.filter(inLastMonth).map(r => ({ ...r, key2: '' }));
    const total = totalByTeam.filter(inLastMonth).map(r => ({ ...r, key2: '' }));
    const teams = [...new Set(total.map(r => r.key1))];
    const mtdTotal = totalIn(currentMonth);
    return {
      currency: this.options.currency,
      metric: this.options.metric,
      freshness,
      lastFullMonth,
      currentMonth,
      totals: {
        lastFullMonth: round(totalIn(lastFullMonth)),
        monthToDate: round(mtdTotal),
        forecastMonth: visibility.all && remainder !== undefined ? round(mtdTotal + remainder) : undefined,
        monthOverMonthPercent: change(totalIn(lastFullMonth), totalIn(previousMonth)),
      },
      products,
      monthly: monthsSeen.map(month => ({
        month,
        provisional: [...byProduct.values()].some(m => m.get(month)?.provisional),
        byProduct: Object.fromEntries(products.map(p => [p.product, round(amountIn(p.product, month))])),
        shared: visibility.all ? round(poolIn(month)) : 0,
        unallocated: visibility.all ? round(amountIn('', month)) : 0,
      })),
      unallocated: visibility.all
        ? { lastFullMonth: round(amountIn('', lastFullMonth)), sharePercent: percent(amountIn('', lastFullMonth), totalIn(lastFullMonth)) }
        : { lastFullMonth: 0, sharePercent: 0 },
      shared: { lastFullMonth: visibility.all ? round(poolIn(lastFullMonth)) : 0 },
      tagCoverage: visibility.all
        ? {
            overall: CostReader.coverageOf(covered, total),
            byTeam: teams
              .map(team => ({
                team,
                entityRef: catalog.groups.get(team)?.ref,
                ...CostReader.coverageOf(covered.filter(r => r.key1 === team), total.filter(r => r.key1 === team)),
              }))
              .sort((a, b) => a.coveredPercent - b.coveredPercent),
          }
        : { overall: { coveredPercent: 0, coveredAmount: 0, totalAmount: 0 }, byTeam: [] },
      restricted: !visibility.all,
    };
  }

  private async breakdown(view: string, product: string, labels: Record<string, string> = {}): Promise<CostBreakdownLine[]> {
    const { lastFullMonth, currentMonth } = this.months();
    const rows = await this.store.facts(view, 'MONTHLY', { from: `${lastFullMonth}-01`, key1: product });
    const keys = [...new Set(rows.map(r => r.key2))];
    const sumFor = (key: string, month: string) => rows.filter(r => r.key2 === key && monthOf(r.period_start) === month).reduce((s, r) => s + r.amount, 0);
    return keys
      .map(key => ({ key, label: labels[key], lastFullMonth: round(sumFor(key, lastFullMonth)), monthToDate: round(sumFor(key, currentMonth)) }))
      .sort((a, b) => b.lastFullMonth - a.lastFullMonth || b.monthToDate - a.monthToDate);
  }

  async anomalies(): Promise<CostAnomaly[]> {
    const [anomalies, names, spend] = await Promise.all([
      this.store.anomalies(),
      this.store.accountNames(),
      this.store.facts(VIEW.productAwsService, 'MONTHLY', { from: this.months().historyFrom }),
    ]);
    const pools = this.pools();
    const { today } = this.months();
    // Days with figures in a month: a past month in full, the current one up to yesterday.
    const daysIn = (month: string) => {
      const end = monthStart(`${month}-01`, 1);
      const last = end > today ? today : end;
      return Math.max(1, (Date.parse(last) - Date.parse(`${month}-01`)) / 86_400_000);
    };
    return anomalies.map(a => {
      // Anomalies name an AWS service and account, not a product: attribute them to the products
      // whose daily spend on that service rose most from the month before, not to every user of it.
      const month = monthOf(a.start);
      const before = monthOf(monthStart(`${month}-01`, -1));
      const perDay = (m: string) =>
        sumBy(spend.filter(r => r.key2 === a.awsService && monthOf(r.period_start) === m && r.key1 !== '' && !pools.has(r.key1)), r => r.key1);
      const [now, then] = [perDay(month), perDay(before)];
      const rises = [...now.entries()]
        .map(([product, amount]) => [product, amount / daysIn(month) - (then.get(product) ?? 0) / daysIn(before)] as const)
        .filter(([, rise]) => rise > 0)
        .sort((x, y) => y[1] - x[1]);
      const largest = rises[0]?.[1] ?? 0;
      const products = rises.filter(([, rise]) => rise >= largest * 0.25).map(([product]) => product);
      return {
        id: a.id,
        start: a.start,
        end: a.end ?? a.start,
        awsService: a.awsService,
        accountId: a.accountId ?? '',
        accountName: a.accountName ?? (a.accountId ? names[a.accountId] : undefined),
        region: a.region,
        usageType: a.usageType,
        actual: round(a.actual),
        expected: round(a.expected),
        impact: round(a.impact),
        impactPercent: round(a.impactPercent),
        products,
      };
    });
  }

  async product(product: string): Promise<ProductCostDetail | undefined> {
    const [catalog, byProduct, freshness, remainder, shares, names] = await Promise.all([
      this.catalog(),
      this.productMonths(),
      this.freshness(),
      this.forecastRemainder(),
      this.runRateShares(),
      this.store.accountNames(),
    ]);
    const months = byProduct.get(product);
    if (!months || product === '') return undefined;
    const { lastFullMonth, currentMonth, today } = this.months();
    // A shared pool has a page too (the platform team's cost is one), marked as a pool.
    const summary = this.summaries(byProduct, catalog, remainder, shares, product).find(s => s.product === product)!;
    const catalogProducts = [...catalog.systems.keys()];
    const daily = await this.store.facts(VIEW.productService, 'DAILY', { from: addDays(today, -45), key1: product });
    const dailySums = new Map<string, { amount: number; provisional: boolean }>();
    for (const r of daily) {
      const entry = dailySums.get(r.period_start) ?? { amount: 0, provisional: false };
      entry.amount += r.amount;
      entry.provisional = entry.provisional || r.provisional;
      dailySums.set(r.period_start, entry);
    }
    const { covered, total } = await this.coverage(lastFullMonth);
    const services = await this.breakdown(VIEW.productService, product);
    const anomalies = (await this.anomalies()).filter(a => a.products.includes(product));
    return {
      currency: this.options.currency,
      metric: this.options.metric,
      freshness,
      lastFullMonth,
      currentMonth,
      summary,
      monthly: [...months.entries()].sort().map(([month, v]) => ({
        month,
        provisional: v.provisional,
        direct: round(v.amount),
        shared: catalog.systems.has(product) ? round(this.allocateShared(byProduct, catalogProducts, month).get(product) ?? 0) : 0,
      })),
      daily: [...dailySums.entries()].sort().map(([day, v]) => ({ day, amount: round(v.amount), provisional: v.provisional })),
      byService: services,
      byTeam: await this.breakdown(VIEW.productTeam, product),
      byEnvironment: await this.breakdown(VIEW.productEnvironment, product),
      byAwsService: await this.breakdown(VIEW.productAwsService, product),
      byAccount: await this.breakdown(VIEW.productAccount, product, names),
      anomalies,
      serviceTagCoverage: services
        .filter(s => s.key !== '')
        .map(s => ({
          service: s.key,
          entityRef: catalog.components.get(s.key)?.ref,
          ...CostReader.coverageOf(covered.filter(r => r.key2 === s.key), total.filter(r => r.key2 === s.key)),
        })),
    };
  }

  async entity(kind: 'system' | 'component' | 'group', name: string, entityRef: string): Promise<EntityCost> {
    const { lastFullMonth, previousMonth, currentMonth, historyFrom } = this.months();
    const tagKey = { system: this.options.productTag, component: this.options.serviceTag, group: this.options.teamTag }[kind];
    const view = { system: VIEW.productAccount, component: VIEW.productService, group: VIEW.productTeam }[kind];
    const rows = (await this.store.facts(view, 'MONTHLY', { from: historyFrom })).filter(r => (kind === 'system' ? r.key1 : r.key2) === name);
    if (rows.length === 0) {
      return {
        mapped: false,
        entityRef,
        tagKey,
        tagValue: name,
        reason: `not mapped: no AWS spend carries the tag ${tagKey}=${name}; add ${tagKey}=${name} to its AWS resources (Terraform default_tags) and it appears after the next refresh`,
      };
    }
    const byMonth = new Map<string, { amount: number; provisional: boolean }>();
    for (const r of rows) {
      const month = monthOf(r.period_start);
      const entry = byMonth.get(month) ?? { amount: 0, provisional: false };
      entry.amount += r.amount;
      entry.provisional = entry.provisional || r.provisional;
      byMonth.set(month, entry);
    }
    const monthly: MonthlyAmount[] = [...byMonth.entries()].sort().map(([month, v]) => ({ month, amount: round(v.amount), provisional: v.provisional }));
    const amountIn = (month: string) => byMonth.get(month)?.amount ?? 0;

    let breakdown: CostBreakdownLine[];
    if (kind === 'system') breakdown = await this.breakdown(VIEW.productService, name);
    else if (kind === 'component') breakdown = await this.breakdown(VIEW.serviceAwsService, name);
    else {
      const recent = rows.filter(r => r.period_start >= `${lastFullMonth}-01`);
      const products = [...new Set(recent.map(r => r.key1))];
      const sumFor = (p: string, month: string) => recent.filter(r => r.key1 === p && monthOf(r.period_start) === month).reduce((s, r) => s + r.amount, 0);
      const systems = (await this.catalog()).systems;
      breakdown = products
        .map(p => ({ key: p, label: systems.get(p)?.title, lastFullMonth: round(sumFor(p, lastFullMonth)), monthToDate: round(sumFor(p, currentMonth)) }))
        .sort((a, b) => b.lastFullMonth - a.lastFullMonth);
    }
    const { covered, total } = await this.coverage(lastFullMonth, r => (kind === 'group' ? r.key1 === name : r.key2 === name));
    return {
      mapped: true,
      entityRef,
      kind,
      currency: this.options.currency,
      freshness: await this.freshness(),
      lastFullMonth,
      currentMonth,
      lastFullMonthAmount: round(amountIn(lastFullMonth)),
      monthToDate: round(amountIn(currentMonth)),
      monthOverMonthPercent: change(amountIn(lastFullMonth), amountIn(previousMonth)),
      monthly,
      breakdown,
      tagCoverage: kind === 'system' || total.length === 0 ? undefined : CostReader.coverageOf(covered, total),
    };
  }

  async unallocated(month: string | undefined, requiredKeys: string[]): Promise<UnallocatedReport> {
    const target = month ?? this.months().lastFullMonth;
    const names = await this.store.accountNames();
    const byProduct = await this.productMonths();
    const total = [...byProduct.values()].reduce((s, m) => s + (m.get(target)?.amount ?? 0), 0);
    const byTagKey = await Promise.all(
      requiredKeys.map(async tagKey => {
        const rows = (await this.store.facts(VIEW.unallocated(tagKey), 'MONTHLY', { from: `${target}-01` })).filter(r => monthOf(r.period_start) === target);
        const amount = rows.reduce((s, r) => s + r.amount, 0);
        const byAccount = sumBy(rows, r => r.key1);
        const byAwsService = sumBy(rows, r => r.key2);
        return {
          tagKey,
          month: target,
          amount: round(amount),
          sharePercent: percent(amount, total),
          byAccount: [...byAccount].sort((a, b) => b[1] - a[1]).map(([accountId, v]) => ({ accountId, accountName: names[accountId], amount: round(v) })),
          byAwsService: [...byAwsService].sort((a, b) => b[1] - a[1]).map(([awsService, v]) => ({ awsService, amount: round(v) })),
          lines: rows
            .filter(r => r.amount >= 0.005)
            .sort((a, b) => b.amount - a.amount)
            .map(r => ({ accountId: r.key1, accountName: names[r.key1], awsService: r.key2, amount: round(r.amount) })),
        };
      }),
    );
    return { currency: this.options.currency, month: target, total: round(total), byTagKey: byTagKey.sort((a, b) => b.amount - a.amount) };
  }

  /** CSV for spreadsheets: one header row, one row per line. */
  async csv(view: 'products' | 'monthly' | 'unallocated', visibility: ProductVisibility, requiredKeys: string[]): Promise<string> {
    const lines: unknown[][] = [];
    if (view === 'products') {
      const overview = await this.overview(visibility);
      lines.push(['product', 'title', 'owner', `last_full_month_${overview.lastFullMonth}`, `month_to_date_${overview.currentMonth}`, 'forecast_month', 'month_over_month_percent', 'share_percent', 'shared_allocated', 'currency']);
      for (const p of overview.products) {
        lines.push([p.product, p.title, p.owner, p.lastFullMonth, p.monthToDate, p.forecastMonth, p.monthOverMonthPercent, p.sharePercent, p.sharedLastFullMonth, overview.currency]);
      }
    } else if (view === 'monthly') {
      const overview = await this.overview(visibility);
      lines.push(['month', 'product', 'amount', 'provisional', 'currency']);
      for (const m of overview.monthly) {
        for (const [product, amount] of Object.entries(m.byProduct)) lines.push([m.month, product, amount, m.provisional, overview.currency]);
        if (visibility.all) {
          lines.push([m.month, '(shared)', m.shared, m.provisional, overview.currency]);
          lines.push([m.month, '(unallocated)', m.unallocated, m.provisional, overview.currency]);
        }
      }
    } else {
      const report = await this.unallocated(undefined, requiredKeys);
      lines.push(['month', 'missing_tag', 'account_id', 'account_name', 'aws_service', 'amount', 'currency']);
      for (const key of report.byTagKey) {
        for (const l of key.lines) lines.push([report.month, key.tagKey, l.accountId, l.accountName, l.awsService, l.amount, report.currency]);
      }
    }
    return `${lines.map(row => row.map(csvCell).join(',')).join('\n')}\n`;
  }
}
