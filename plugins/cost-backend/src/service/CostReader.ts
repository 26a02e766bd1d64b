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
import { createHash } from 'node:crypto';
import { CostStore, FactRow } from '../database/CostStore';
import { VIEW } from './CostRefresh';
import { addDays, isoDay, monthOf, monthStart } from './dates';
import type { ForecastPeriod } from './types';

/** What the reader needs to know of the catalog: products, services and teams by name. */
export interface CatalogDirectory {
  systems: Map<
    string,
    { ref: string; title?: string; domain?: string; owner?: string }
  >;
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
  /** For months `monthly` leaves out, whichever month it is (read when a month is shown, not at start-up). */
  everyMonth?: number;
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
export type ProductVisibility =
  | { all: true }
  | { all: false; products: Set<string> };

const round = (n: number) => Math.round(n * 100) / 100;
const percent = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((part / whole) * 10000) / 100;
const change = (now: number, before: number) =>
  before === 0 ? null : Math.round(((now - before) / before) * 10000) / 100;

type MonthTotals = Map<string, { amount: number; provisional: boolean }>;

const daysBetween = (from: string, to: string) =>
  (Date.parse(to) - Date.parse(from)) / 86_400_000;

/**
 * AWS's forecast of this month from today to its end. A forecast fetched on an earlier day of the
 * month (the forecast refreshes daily) is cut to the days still ahead, so the days since, now in
 * month-to-date, are not counted twice. Accounts fetched on different days are cut and summed.
 */
function restOfMonth(
  periods: ForecastPeriod[],
  today: string,
): ForecastPeriod | undefined {
  const current = periods.filter(
    p =>
      monthOf(p.start) === monthOf(today) && p.start <= today && today < p.end,
  );
  if (current.length === 0) return undefined;
  const rest = { start: today, end: current[0].end, mean: 0, low: 0, high: 0 };
  for (const period of current) {
    const share =
      daysBetween(today, period.end) / daysBetween(period.start, period.end);
    rest.mean += period.mean * share;
    rest.low += period.low * share;
    rest.high += period.high * share;
  }
  return rest;
}

function sumBy(
  rows: FactRow[],
  key: (r: FactRow) => string,
): Map<string, number> {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(key(r), (sums.get(key(r)) ?? 0) + r.amount);
  return sums;
}

function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** What the views use of a catalog directory, as a digest: the directory is re-read every minute, mostly unchanged. */
const directoryDigests = new WeakMap<CatalogDirectory, string>();
function directoryDigest(directory: CatalogDirectory): string {
  let digest = directoryDigests.get(directory);
  if (digest === undefined) {
    const entries = (map: Map<string, object>) =>
      [...map].map(([name, v]) => [name, v]);
    const text = JSON.stringify([
      entries(directory.systems),
      entries(directory.components),
      entries(directory.groups),
    ]);
    digest = createHash('sha1').update(text).digest('base64');
    directoryDigests.set(directory, digest);
  }
  return digest;
}

/**
 * What every request shares while the store's data version, the day and the catalog directory stay
 * the same: the organisation-wide views, each computed once on first use. A refresh on any replica
 * changes the version, so the next request starts a new snapshot.
 */
class Snapshot {
  private readonly values = new Map<string, Promise<unknown>>();

  readonly catalogDigest: string;

  constructor(
    readonly version: number,
    readonly today: string,
    readonly catalog: CatalogDirectory,
  ) {
    this.catalogDigest = directoryDigest(catalog);
  }

  get<T>(name: string, compute: () => Promise<T>): Promise<T> {
    let value = this.values.get(name) as Promise<T> | undefined;
    if (!value) {
      const computing = compute();
      this.values.set(name, computing);
      // A failure (the database went away) is not remembered: the next request tries again.
      computing.catch(
        () => this.values.get(name) === computing && this.values.delete(name),
      );
      value = computing;
    }
    return value;
  }
}

interface SummaryContext {
  names: string[];
  sharedLast: Map<string, number>;
  directLastTotal: number;
  sparkMonths: string[];
}

interface CoverageSums {
  covered: number;
  total: number;
  /** Whether any total line was seen (an entity without one has no coverage to show). */
  measured?: boolean;
}

/** Per team and per service: tag-covered and total spend of one month. */
interface CoverageIndex {
  byTeam: Map<string, CoverageSums>;
  byService: Map<string, CoverageSums>;
}

/**
 * Answers every cost question from the store (never from AWS). The organisation-wide figures are
 * computed once per data version (see Snapshot); what a caller may see is filtered per request.
 * The views it returns are shared between callers: read them, never change them.
 */
export class CostReader {
  private current?: Snapshot;

  constructor(
    private readonly store: CostStore,
    private readonly options: CostReaderOptions,
    private readonly catalog: () => Promise<CatalogDirectory>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The snapshot for the store's current data version: one single-row query per request. */
  private async snapshot(): Promise<Snapshot> {
    const [version, catalog] = await Promise.all([
      this.store.dataVersion(),
      this.catalog(),
    ]);
    const today = isoDay(this.now());
    const current = this.current;
    if (
      current &&
      current.version === version &&
      current.today === today &&
      (current.catalog === catalog ||
        current.catalogDigest === directoryDigest(catalog))
    ) {
      return current;
    }
    const next = new Snapshot(version, today, catalog);
    // A request that read the version just before another one's refresh committed keeps its
    // snapshot to itself rather than replacing the newer one.
    if (!current || version >= current.version) this.current = next;
    return next;
  }

  private months(today = isoDay(this.now())) {
    return {
      today,
      lastFullMonth: monthOf(monthStart(today, -1)),
      previousMonth: monthOf(monthStart(today, -2)),
      currentMonth: monthOf(today),
      historyFrom: monthStart(today, -13),
    };
  }

  async freshness(): Promise<CostFreshness> {
    const [history, names] = await Promise.all([
      this.store.refreshHistory('usage'),
      this.store.accountNames(),
    ]);
    const accounts: AccountFreshness[] = history.map(h => ({
      accountId: h.scope,
      accountName:
        h.scope === 'organization'
          ? 'management account (all accounts)'
          : names[h.scope],
      lastSuccessAt: h.lastSuccessAt,
      lastError:
        h.latest.status === 'failed'
          ? {
              at: h.latest.finishedAt ?? h.latest.startedAt,
              code: h.latest.errorCode ?? 'Error',
              message: h.latest.errorMessage ?? '',
            }
          : undefined,
      stale: h.latest.status === 'failed',
    }));
    const successes = accounts
      .map(a => a.lastSuccessAt)
      .filter((t): t is string => Boolean(t))
      .sort();
    return { refreshedAt: successes[successes.length - 1], accounts };
  }

  private sharedFreshness(snap: Snapshot): Promise<CostFreshness> {
    return snap.get('freshness', () => this.freshness());
  }

  private accountNames(snap: Snapshot): Promise<Record<string, string>> {
    return snap.get('accountNames', () => this.store.accountNames());
  }

  private productMonths(snap: Snapshot): Promise<Map<string, MonthTotals>> {
    return snap.get('productMonths', () => this.loadProductMonths(snap));
  }

  /** product -> month -> direct amount, from the per-account view (every dollar once). */
  private async loadProductMonths(
    snap: Snapshot,
  ): Promise<Map<string, MonthTotals>> {
    const from = this.months(snap.today).historyFrom;
    const [rows, sharedAccounts] = await Promise.all([
      this.store.totalsByKey1(VIEW.productAccount, 'MONTHLY', from),
      this.store.totalsByKey1(VIEW.sharedAccount, 'MONTHLY', from),
    ]);
    const byProduct = new Map<string, MonthTotals>();
    // A shared account's whole spend is a pool named after it (see settings: sharedAccountPool).
    for (const r of [
      ...rows,
      ...sharedAccounts.map(a => ({ ...a, key1: `account:${a.key1}` })),
    ]) {
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
  private allocateShared(
    byProduct: Map<string, MonthTotals>,
    products: string[],
    month: string,
  ): Map<string, number> {
    const allocated = new Map<string, number>(products.map(p => [p, 0]));
    const direct = new Map(
      products.map(p => [p, byProduct.get(p)?.get(month)?.amount ?? 0]),
    );
    const directTotal = [...direct.values()].reduce((a, b) => a + b, 0);
    for (const rule of this.options.sharedRules) {
      const pool = byProduct.get(rule.pool)?.get(month)?.amount ?? 0;
      if (pool === 0 || products.length === 0) continue;
      for (const product of products) {
        let share = 0;
        if (rule.split === 'even') share = pool / products.length;
        else if (rule.split === 'proportional')
          share =
            directTotal === 0 ? 0 : (pool * direct.get(product)!) / directTotal;
        else share = (pool * (rule.percentages?.[product] ?? 0)) / 100;
        allocated.set(product, allocated.get(product)! + share);
      }
    }
    return allocated;
  }

  /** The whole organisation's forecast once per snapshot; others get their products' lines of it. */
  async forecast(visibility: ProductVisibility): Promise<CostForecast> {
    const snap = await this.snapshot();
    const all = await snap.get('forecast', () =>
      this.organisationForecast(snap),
    );
    if (visibility.all) return all;
    return {
      ...all,
      current: undefined,
      next: undefined,
      unavailable:
        all.unavailable ??
        'The forecast of the whole month covers every product: leads and finance see it',
      byProduct: all.byProduct.filter(p => visibility.products.has(p.product)),
    };
  }

  private async organisationForecast(snap: Snapshot): Promise<CostForecast> {
    const { today, currentMonth } = this.months(snap.today);
    const [periods, byProduct, shares] = await Promise.all([
      this.forecasts(snap),
      this.productMonths(snap),
      this.runRateShares(snap),
    ]);
    const rest = restOfMonth(periods, today);
    const next = periods.find(p => monthOf(p.start) > currentMonth);
    const mtdOf = (product: string) =>
      byProduct.get(product)?.get(currentMonth)?.amount ?? 0;
    const products = [...byProduct.keys()].filter(
      p => p !== '' && !this.pools().has(p),
    );
    const monthToDate = [...byProduct.keys()].reduce((s, p) => s + mtdOf(p), 0);
    let unavailable: string | undefined;
    if (periods.length === 0)
      unavailable =
        'No forecast fetched yet: the forecast refresh reads AWS once a day';
    else if (!rest)
      unavailable = `The latest forecast (from ${periods[0].start}) does not cover ${currentMonth}; the next daily forecast refresh will`;
    return {
      currency: this.options.currency,
      metric: this.options.metric,
      currentMonth,
      unavailable,
      current: rest
        ? {
            monthToDate: round(monthToDate),
            mean: round(monthToDate + rest.mean),
            low: round(monthToDate + rest.low),
            high: round(monthToDate + rest.high),
          }
        : undefined,
      next: next
        ? {
            month: monthOf(next.start),
            mean: round(next.mean),
            low: round(next.low),
            high: round(next.high),
          }
        : undefined,
      byProduct: rest
        ? products
            .map(product => ({
              product,
              monthToDate: round(mtdOf(product)),
              forecastMonth: round(
                mtdOf(product) + rest.mean * (shares.get(product) ?? 0),
              ),
            }))
            .sort((a, b) => b.forecastMonth - a.forecastMonth)
        : [],
    };
  }

  private forecasts(snap: Snapshot) {
    return snap.get('forecasts', () => this.store.forecasts());
  }

  private async forecastRemainder(snap: Snapshot): Promise<number | undefined> {
    return restOfMonth(await this.forecasts(snap), snap.today)?.mean;
  }

  private runRateShares(snap: Snapshot): Promise<Map<string, number>> {
    return snap.get('runRateShares', () => this.loadRunRateShares(snap));
  }

  /** Each product's share of the last 7 days of daily cost: how the month's forecast is split. */
  private async loadRunRateShares(
    snap: Snapshot,
  ): Promise<Map<string, number>> {
    const rows = await this.store.totalsByKey1(
      VIEW.productService,
      'DAILY',
      addDays(this.months(snap.today).today, -8),
    );
    const sums = new Map<string, number>();
    for (const r of rows) sums.set(r.key1, (sums.get(r.key1) ?? 0) + r.amount);
    const total = [...sums.values()].reduce((a, b) => a + b, 0);
    return new Map([...sums].map(([p, v]) => [p, total === 0 ? 0 : v / total]));
  }

  private unitCost(
    product: string,
    monthly: Array<{ month: string; total: number }>,
  ): UnitCost | undefined {
    const metric = this.options.unitMetrics.find(m => m.product === product);
    if (!metric) return undefined;
    const unitsIn = (month: string) =>
      metric.monthly[month] ?? metric.everyMonth ?? 0;
    const trend = monthly
      .filter(m => unitsIn(m.month) > 0)
      .map(m => ({
        month: m.month,
        units: unitsIn(m.month),
        costPerThousand: round((m.total / unitsIn(m.month)) * 1000),
      }));
    return trend.length > 0 ? { metric: metric.metric, trend } : undefined;
  }

  /**
   * The products a summary list covers (a pool only on its own page), and what their figures are
   * relative to: the shared pools' split and the total direct spend of the last full month.
   */
  private summaryContext(
    byProduct: Map<string, MonthTotals>,
    catalog: CatalogDirectory,
    today: string,
    pool?: string,
  ): SummaryContext {
    const { lastFullMonth } = this.months(today);
    const pools = this.pools();
    const names = [
      ...new Set([...catalog.systems.keys(), ...byProduct.keys()]),
    ].filter(p => p !== '' && (!pools.has(p) || p === pool));
    const catalogProducts = names.filter(p => catalog.systems.has(p));
    const sharedLast = this.allocateShared(
      byProduct,
      catalogProducts,
      lastFullMonth,
    );
    const directLastTotal = names.reduce(
      (sum, p) => sum + (byProduct.get(p)?.get(lastFullMonth)?.amount ?? 0),
      0,
    );
    const sparkMonths = Array.from({ length: 6 }, (_, i) =>
      monthOf(monthStart(`${lastFullMonth}-01`, i - 5)),
    );
    return { names, sharedLast, directLastTotal, sparkMonths };
  }

  private summaryOf(
    product: string,
    context: SummaryContext,
    byProduct: Map<string, MonthTotals>,
    catalog: CatalogDirectory,
    today: string,
    forecastRemainder: number | undefined,
    shares: Map<string, number>,
  ): ProductCostSummary {
    const { lastFullMonth, previousMonth, currentMonth } = this.months(today);
    const { sharedLast, directLastTotal, sparkMonths } = context;
    const months = byProduct.get(product) ?? new Map();
    const last = months.get(lastFullMonth)?.amount ?? 0;
    const mtd = months.get(currentMonth)?.amount ?? 0;
    const system = catalog.systems.get(product);
    const history = [...months.entries()].sort().map(([month, v]) => ({
      month,
      total:
        v.amount + (month === lastFullMonth ? sharedLast.get(product) ?? 0 : 0),
    }));
    return {
      product,
      entityRef: system?.ref,
      title: system?.title,
      domain: system?.domain,
      owner: system?.owner,
      sharedPool: this.pools().has(product) || undefined,
      lastFullMonth: round(last),
      monthToDate: round(mtd),
      forecastMonth:
        forecastRemainder === undefined
          ? undefined
          : round(mtd + forecastRemainder * (shares.get(product) ?? 0)),
      monthOverMonthPercent: change(
        last,
        months.get(previousMonth)?.amount ?? 0,
      ),
      sparkline: sparkMonths.map(month => ({
        month,
        amount: round(months.get(month)?.amount ?? 0),
        provisional: Boolean(months.get(month)?.provisional),
      })),
      sharePercent: percent(last, directLastTotal),
      sharedLastFullMonth: round(sharedLast.get(product) ?? 0),
      unitCost: this.unitCost(
        product,
        history.filter(h => h.month <= lastFullMonth),
      ),
    };
  }

  /** Tag coverage of the last full month per team and per service, summed once per snapshot. */
  private coverageIndex(snap: Snapshot): Promise<CoverageIndex> {
    return snap.get('coverage', async () => {
      const month = this.months(snap.today).lastFullMonth;
      const from = `${month}-01`;
      const [covered, total] = await Promise.all([
        this.store.facts(VIEW.coveredTeamService, 'MONTHLY', { from }),
        this.store.facts(VIEW.teamService, 'MONTHLY', { from }),
      ]);
      const index: CoverageIndex = { byTeam: new Map(), byService: new Map() };
      const add = (
        map: Map<string, CoverageSums>,
        key: string,
        field: 'covered' | 'total',
        amount: number,
      ) => {
        let sums = map.get(key);
        if (!sums) map.set(key, (sums = { covered: 0, total: 0 }));
        sums[field] += amount;
        if (field === 'total') sums.measured = true;
      };
      for (const [rows, field] of [
        [covered, 'covered'],
        [total, 'total'],
      ] as const) {
        for (const r of rows) {
          if (monthOf(r.period_start) !== month) continue;
          add(index.byTeam, r.key1, field, r.amount);
          add(index.byService, r.key2, field, r.amount);
        }
      }
      return index;
    });
  }

  private static coverageOf(
    covered: Array<{ amount: number }>,
    total: Array<{ amount: number }>,
  ): TagCoverage {
    const c = covered.reduce((s, r) => s + r.amount, 0);
    const t = total.reduce((s, r) => s + r.amount, 0);
    return CostReader.coverageOfSums({ covered: c, total: t });
  }

  private static coverageOfSums({ covered, total }: CoverageSums): TagCoverage {
    return {
      coveredPercent: percent(covered, total),
      coveredAmount: round(covered),
      totalAmount: round(total),
    };
  }

  /**
   * The lead's overview is computed once per snapshot; anyone else gets their products' lines of
   * it, with the totals over those products and without the organisation-wide lines.
   */
  async overview(visibility: ProductVisibility): Promise<CostOverview> {
    const snap = await this.snapshot();
    const [all, byProduct] = await Promise.all([
      snap.get('overview', () => this.organisationOverview(snap)),
      this.productMonths(snap),
    ]);
    if (visibility.all) return all;
    const products = all.products.filter(p =>
      visibility.products.has(p.product),
    );
    const totalIn = (month: string) =>
      products.reduce(
        (s, p) => s + (byProduct.get(p.product)?.get(month)?.amount ?? 0),
        0,
      );
    return {
      ...all,
      totals: {
        lastFullMonth: round(totalIn(all.lastFullMonth)),
        monthToDate: round(totalIn(all.currentMonth)),
        forecastMonth: undefined,
        monthOverMonthPercent: change(
          totalIn(all.lastFullMonth),
          totalIn(this.months(snap.today).previousMonth),
        ),
      },
      products,
      monthly: all.monthly.map(m => ({
        month: m.month,
        provisional: m.provisional,
        byProduct: Object.fromEntries(
          products.map(p => [p.product, m.byProduct[p.product]]),
        ),
        shared: 0,
        unallocated: 0,
      })),
      unallocated: { lastFullMonth: 0, sharePercent: 0 },
      shared: { lastFullMonth: 0 },
      tagCoverage: {
        overall: { coveredPercent: 0, coveredAmount: 0, totalAmount: 0 },
        byTeam: [],
      },
      restricted: true,
    };
  }

  private async organisationOverview(snap: Snapshot): Promise<CostOverview> {
    const { lastFullMonth, previousMonth, currentMonth } = this.months(
      snap.today,
    );
    const catalog = snap.catalog;
    const [byProduct, freshness, remainder, shares] = await Promise.all([
      this.productMonths(snap),
      this.sharedFreshness(snap),
      this.forecastRemainder(snap),
      this.runRateShares(snap),
    ]);
    const pools = this.pools();
    const context = this.summaryContext(byProduct, catalog, snap.today);
    const products = context.names
      .map(p =>
        this.summaryOf(
          p,
          context,
          byProduct,
          catalog,
          snap.today,
          remainder,
          shares,
        ),
      )
      .sort((a, b) => b.lastFullMonth - a.lastFullMonth);
    const monthsSeen = [
      ...new Set([...byProduct.values()].flatMap(m => [...m.keys()])),
    ].sort();
    const amountIn = (product: string, month: string) =>
      byProduct.get(product)?.get(month)?.amount ?? 0;
    const allProducts = [...byProduct.keys()];
    const totalIn = (month: string) =>
      allProducts.reduce((s, p) => s + amountIn(p, month), 0);
    const poolIn = (month: string) =>
      [...pools].reduce((s, p) => s + amountIn(p, month), 0);

    // Team-level coverage: summed per team in SQL, not per team x service.
    const [coveredByTeam, totalByTeam] = await Promise.all([
      this.store.totalsByKey1(
        VIEW.coveredTeamService,
        'MONTHLY',
        `${lastFullMonth}-01`,
      ),
      this.store.totalsByKey1(
        VIEW.teamService,
        'MONTHLY',
        `${lastFullMonth}-01`,
      ),
    ]);
    const inLastMonth = (r: { period_start: string }) =>
      monthOf(r.period_start) === lastFullMonth;
    const covered = coveredByTeam.filter(inLastMonth);
    const total = totalByTeam.filter(inLastMonth);
    const coverageByTeam = new Map<string, CoverageSums>();
    for (const [rows, field] of [
      [covered, 'covered'],
      [total, 'total'],
    ] as const) {
      for (const r of rows) {
        const sums = coverageByTeam.get(r.key1) ?? { covered: 0, total: 0 };
        sums[field] += r.amount;
        coverageByTeam.set(r.key1, sums);
      }
    }
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
        forecastMonth:
          remainder !== undefined ? round(mtdTotal + remainder) : undefined,
        monthOverMonthPercent: change(
          totalIn(lastFullMonth),
          totalIn(previousMonth),
        ),
      },
      products,
      monthly: monthsSeen.map(month => ({
        month,
        provisional: [...byProduct.values()].some(
          m => m.get(month)?.provisional,
        ),
        byProduct: Object.fromEntries(
          products.map(p => [p.product, round(amountIn(p.product, month))]),
        ),
        shared: round(poolIn(month)),
        unallocated: round(amountIn('', month)),
      })),
      unallocated: {
        lastFullMonth: round(amountIn('', lastFullMonth)),
        sharePercent: percent(
          amountIn('', lastFullMonth),
          totalIn(lastFullMonth),
        ),
      },
      shared: { lastFullMonth: round(poolIn(lastFullMonth)) },
      tagCoverage: {
        overall: CostReader.coverageOf(covered, total),
        byTeam: teams
          .map(team => ({
            team,
            entityRef: catalog.groups.get(team)?.ref,
            ...CostReader.coverageOfSums(
              coverageByTeam.get(team) ?? { covered: 0, total: 0 },
            ),
          }))
          .sort((a, b) => a.coveredPercent - b.coveredPercent),
      },
      restricted: false,
    };
  }

  private async breakdown(
    view: string,
    product: string,
    today: string,
    labels: Record<string, string> = {},
  ): Promise<CostBreakdownLine[]> {
    const { lastFullMonth, currentMonth } = this.months(today);
    const rows = await this.store.facts(view, 'MONTHLY', {
      from: `${lastFullMonth}-01`,
      key1: product,
    });
    const sums = new Map<
      string,
      { lastFullMonth: number; monthToDate: number }
    >();
    for (const r of rows) {
      let line = sums.get(r.key2);
      if (!line)
        sums.set(r.key2, (line = { lastFullMonth: 0, monthToDate: 0 }));
      const month = monthOf(r.period_start);
      if (month === lastFullMonth) line.lastFullMonth += r.amount;
      else if (month === currentMonth) line.monthToDate += r.amount;
    }
    return [...sums]
      .map(([key, v]) => ({
        key,
        label: labels[key],
        lastFullMonth: round(v.lastFullMonth),
        monthToDate: round(v.monthToDate),
      }))
      .sort(
        (a, b) =>
          b.lastFullMonth - a.lastFullMonth || b.monthToDate - a.monthToDate,
      );
  }

  /** Every anomaly with the products it is attributed to, once per snapshot. */
  async anomalies(): Promise<CostAnomaly[]> {
    const snap = await this.snapshot();
    return this.attributedAnomalies(snap);
  }

  private attributedAnomalies(snap: Snapshot): Promise<CostAnomaly[]> {
    return snap.get('anomalies', () => this.attributeAnomalies(snap));
  }

  private async attributeAnomalies(snap: Snapshot): Promise<CostAnomaly[]> {
    const { today, historyFrom } = this.months(snap.today);
    const [anomalies, names, byProduct] = await Promise.all([
      this.store.anomalies(),
      this.accountNames(snap),
      this.productMonths(snap),
    ]);
    const monthBefore = (month: string) =>
      monthOf(monthStart(`${month}-01`, -1));
    // Days with figures in a month: a past month in full, the current one up to yesterday.
    const daysIn = (month: string) => {
      const end = monthStart(`${month}-01`, 1);
      return Math.max(1, daysBetween(`${month}-01`, end > today ? today : end));
    };
    // The month holding most of an anomaly's days (the later one on a tie): where its spike shows most.
    const spikeMonth = (a: { start: string; end?: string }) => {
      const last = addDays(a.end ?? a.start, 1);
      let best = { month: monthOf(a.start), days: 0 };
      for (let from = a.start; from < last; ) {
        const next = monthStart(from, 1);
        const days = daysBetween(from, next < last ? next : last);
        if (days >= best.days) best = { month: monthOf(from), days };
        from = next;
      }
      return best.month;
    };
    const months = anomalies.map(spikeMonth);
    // Only the spend attribution looks at: the anomalies' AWS services, from the month before the earliest.
    const earliest = months.map(m => `${monthBefore(m)}-01`).sort()[0];
    const spend =
      anomalies.length === 0
        ? []
        : await this.store.facts(VIEW.productAwsService, 'MONTHLY', {
            from: earliest > historyFrom ? earliest : historyFrom,
            key2In: [...new Set(anomalies.map(a => a.awsService))],
          });
    const pools = this.pools();
    return anomalies.map((a, i) => {
      // Anomalies name an AWS service and account, not a product: attribute them to the products
      // whose daily spend on that service rose most from the month before beyond their own trend
      // (growth, the card-volume season), not to every user of the service.
      const month = months[i];
      const before = monthBefore(month);
      const onService = (m: string) =>
        sumBy(
          spend.filter(
            r =>
              r.key2 === a.awsService &&
              monthOf(r.period_start) === m &&
              r.key1 !== '' &&
              !pools.has(r.key1),
          ),
          r => r.key1,
        );
      const [now, then] = [onService(month), onService(before)];
      // A product's spend on everything else, per day: its trend from one month to the next.
      const elsewhere = (product: string, m: string, service: number) =>
        ((byProduct.get(product)?.get(m)?.amount ?? 0) - service) / daysIn(m);
      const rises = [...now.entries()]
        .map(([product, amount]) => {
          const earlier = then.get(product) ?? 0;
          const base = elsewhere(product, before, earlier);
          const trend = base > 0 ? elsewhere(product, month, amount) / base : 1;
          return [
            product,
            amount / daysIn(month) - (earlier / daysIn(before)) * trend,
          ] as const;
        })
        .filter(([, rise]) => rise > 0)
        .sort((x, y) => y[1] - x[1]);
      const largest = rises[0]?.[1] ?? 0;
      const products = rises
        .filter(([, rise]) => rise >= largest * 0.25)
        .map(([product]) => product);
      return {
        id: a.id,
        start: a.start,
        end: a.end ?? a.start,
        awsService: a.awsService,
        accountId: a.accountId ?? '',
        accountName:
          a.accountName ?? (a.accountId ? names[a.accountId] : undefined),
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

  /** The summary context of the overview, or of a shared pool's own page. */
  private summaryContextFor(
    snap: Snapshot,
    byProduct: Map<string, MonthTotals>,
    pool?: string,
  ): Promise<SummaryContext> {
    return snap.get(`summaryContext:${pool ?? ''}`, async () =>
      this.summaryContext(byProduct, snap.catalog, snap.today, pool),
    );
  }

  /** Each catalog product's share of the shared pools in `month`. */
  private sharedAllocation(
    snap: Snapshot,
    byProduct: Map<string, MonthTotals>,
    month: string,
  ): Promise<Map<string, number>> {
    return snap.get(`shared:${month}`, async () =>
      this.allocateShared(byProduct, [...snap.catalog.systems.keys()], month),
    );
  }

  /** One product's page: computed on its first view after a refresh, then shared. */
  async product(product: string): Promise<ProductCostDetail | undefined> {
    const snap = await this.snapshot();
    const byProduct = await this.productMonths(snap);
    if (!byProduct.has(product) || product === '') return undefined;
    return snap.get(`product:${product}`, () =>
      this.productDetail(snap, byProduct, product),
    );
  }

  private async productDetail(
    snap: Snapshot,
    byProduct: Map<string, MonthTotals>,
    product: string,
  ): Promise<ProductCostDetail> {
    const months = byProduct.get(product)!;
    const catalog = snap.catalog;
    const { lastFullMonth, currentMonth, today } = this.months(snap.today);
    const [
      freshness,
      remainder,
      shares,
      names,
      context,
      coverage,
      anomalies,
      daily,
      services,
      byTeam,
      byEnvironment,
      byAwsService,
    ] = await Promise.all([
      this.sharedFreshness(snap),
      this.forecastRemainder(snap),
      this.runRateShares(snap),
      this.accountNames(snap),
      // A shared pool has a page too (the platform team's cost is one), marked as a pool.
      this.summaryContextFor(
        snap,
        byProduct,
        this.pools().has(product) ? product : undefined,
      ),
      this.coverageIndex(snap),
      this.attributedAnomalies(snap),
      this.store.facts(VIEW.productService, 'DAILY', {
        from: addDays(today, -45),
        key1: product,
      }),
      this.breakdown(VIEW.productService, product, snap.today),
      this.breakdown(VIEW.productTeam, product, snap.today),
      this.breakdown(VIEW.productEnvironment, product, snap.today),
      this.breakdown(VIEW.productAwsService, product, snap.today),
    ]);
    const byAccount = await this.breakdown(
      VIEW.productAccount,
      product,
      snap.today,
      names,
    );
    const dailySums = new Map<
      string,
      { amount: number; provisional: boolean }
    >();
    for (const r of daily) {
      const entry = dailySums.get(r.period_start) ?? {
        amount: 0,
        provisional: false,
      };
      entry.amount += r.amount;
      entry.provisional = entry.provisional || r.provisional;
      dailySums.set(r.period_start, entry);
    }
    const monthly = await Promise.all(
      [...months.entries()].sort().map(async ([month, v]) => ({
        month,
        provisional: v.provisional,
        direct: round(v.amount),
        shared: catalog.systems.has(product)
          ? round(
              (
                await this.sharedAllocation(snap, byProduct, month)
              ).get(product) ?? 0,
            )
          : 0,
      })),
    );
    return {
      currency: this.options.currency,
      metric: this.options.metric,
      freshness,
      lastFullMonth,
      currentMonth,
      summary: this.summaryOf(
        product,
        context,
        byProduct,
        catalog,
        snap.today,
        remainder,
        shares,
      ),
      monthly,
      daily: [...dailySums.entries()].sort().map(([day, v]) => ({
        day,
        amount: round(v.amount),
        provisional: v.provisional,
      })),
      byService: services,
      byTeam,
      byEnvironment,
      byAwsService,
      byAccount,
      anomalies: anomalies.filter(a => a.products.includes(product)),
      serviceTagCoverage: services
        .filter(s => s.key !== '')
        .map(s => ({
          service: s.key,
          entityRef: catalog.components.get(s.key)?.ref,
          ...CostReader.coverageOfSums(
            coverage.byService.get(s.key) ?? { covered: 0, total: 0 },
          ),
        })),
    };
  }

  async entity(
    kind: 'system' | 'component' | 'group',
    name: string,
    entityRef: string,
  ): Promise<EntityCost> {
    const snap = await this.snapshot();
    const { lastFullMonth, previousMonth, currentMonth, historyFrom } =
      this.months(snap.today);
    const tagKey = {
      system: this.options.productTag,
      component: this.options.serviceTag,
      group: this.options.teamTag,
    }[kind];
    const view = {
      system: VIEW.productAccount,
      component: VIEW.productService,
      group: VIEW.productTeam,
    }[kind];
    const rows = await this.store.facts(
      view,
      'MONTHLY',
      kind === 'system'
        ? { from: historyFrom, key1: name }
        : { from: historyFrom, key2: name },
    );
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
    const monthly: MonthlyAmount[] = [...byMonth.entries()]
      .sort()
      .map(([month, v]) => ({
        month,
        amount: round(v.amount),
        provisional: v.provisional,
      }));
    const amountIn = (month: string) => byMonth.get(month)?.amount ?? 0;

    let breakdown: CostBreakdownLine[];
    if (kind === 'system')
      breakdown = await this.breakdown(VIEW.productService, name, snap.today);
    else if (kind === 'component')
      breakdown = await this.breakdown(
        VIEW.serviceAwsService,
        name,
        snap.today,
      );
    else {
      const recent = rows.filter(r => r.period_start >= `${lastFullMonth}-01`);
      const products = [...new Set(recent.map(r => r.key1))];
      const sumFor = (p: string, month: string) =>
        recent
          .filter(r => r.key1 === p && monthOf(r.period_start) === month)
          .reduce((s, r) => s + r.amount, 0);
      const systems = snap.catalog.systems;
      breakdown = products
        .map(p => ({
          key: p,
          label: systems.get(p)?.title,
          lastFullMonth: round(sumFor(p, lastFullMonth)),
          monthToDate: round(sumFor(p, currentMonth)),
        }))
        .sort((a, b) => b.lastFullMonth - a.lastFullMonth);
    }
    const [coverage, freshness] = await Promise.all([
      this.coverageIndex(snap),
      this.sharedFreshness(snap),
    ]);
    const sums =
      kind === 'group'
        ? coverage.byTeam.get(name)
        : coverage.byService.get(name);
    return {
      mapped: true,
      entityRef,
      kind,
      currency: this.options.currency,
      freshness,
      lastFullMonth,
      currentMonth,
      lastFullMonthAmount: round(amountIn(lastFullMonth)),
      monthToDate: round(amountIn(currentMonth)),
      monthOverMonthPercent: change(
        amountIn(lastFullMonth),
        amountIn(previousMonth),
      ),
      monthly,
      breakdown,
      tagCoverage:
        kind === 'system' || !sums?.measured
          ? undefined
          : CostReader.coverageOfSums(sums),
    };
  }

  async unallocated(
    month: string | undefined,
    requiredKeys: string[],
  ): Promise<UnallocatedReport> {
    const snap = await this.snapshot();
    const target = month ?? this.months(snap.today).lastFullMonth;
    const [names, byProduct] = await Promise.all([
      this.accountNames(snap),
      this.productMonths(snap),
    ]);
    const total = [...byProduct.values()].reduce(
      (s, m) => s + (m.get(target)?.amount ?? 0),
      0,
    );
    const byTagKey = await Promise.all(
      requiredKeys.map(async tagKey => {
        const rows = (
          await this.store.facts(VIEW.unallocated(tagKey), 'MONTHLY', {
            from: `${target}-01`,
          })
        ).filter(r => monthOf(r.period_start) === target);
        const amount = rows.reduce((s, r) => s + r.amount, 0);
        const byAccount = sumBy(rows, r => r.key1);
        const byAwsService = sumBy(rows, r => r.key2);
        return {
          tagKey,
          month: target,
          amount: round(amount),
          sharePercent: percent(amount, total),
          byAccount: [...byAccount]
            .sort((a, b) => b[1] - a[1])
            .map(([accountId, v]) => ({
              accountId,
              accountName: names[accountId],
              amount: round(v),
            })),
          byAwsService: [...byAwsService]
            .sort((a, b) => b[1] - a[1])
            .map(([awsService, v]) => ({ awsService, amount: round(v) })),
          lines: rows
            .filter(r => r.amount >= 0.005)
            .sort((a, b) => b.amount - a.amount)
            .map(r => ({
              accountId: r.key1,
              accountName: names[r.key1],
              awsService: r.key2,
              amount: round(r.amount),
            })),
        };
      }),
    );
    return {
      currency: this.options.currency,
      month: target,
      total: round(total),
      byTagKey: byTagKey.sort((a, b) => b.amount - a.amount),
    };
  }

  /** CSV for spreadsheets: one header row, one row per line. */
  async csv(
    view: 'products' | 'monthly' | 'unallocated',
    visibility: ProductVisibility,
    requiredKeys: string[],
  ): Promise<string> {
    const lines: unknown[][] = [];
    if (view === 'products') {
      const overview = await this.overview(visibility);
      lines.push([
        'product',
        'title',
        'owner',
        `last_full_month_${overview.lastFullMonth}`,
        `month_to_date_${overview.currentMonth}`,
        'forecast_month',
        'month_over_month_percent',
        'share_percent',
        'shared_allocated',
        'currency',
      ]);
      for (const p of overview.products) {
        lines.push([
          p.product,
          p.title,
          p.owner,
          p.lastFullMonth,
          p.monthToDate,
          p.forecastMonth,
          p.monthOverMonthPercent,
          p.sharePercent,
          p.sharedLastFullMonth,
          overview.currency,
        ]);
      }
    } else if (view === 'monthly') {
      const overview = await this.overview(visibility);
      lines.push(['month', 'product', 'amount', 'provisional', 'currency']);
      for (const m of overview.monthly) {
        for (const [product, amount] of Object.entries(m.byProduct))
          lines.push([
            m.month,
            product,
            amount,
            m.provisional,
            overview.currency,
          ]);
        if (visibility.all) {
          lines.push([
            m.month,
            '(shared)',
            m.shared,
            m.provisional,
            overview.currency,
          ]);
          lines.push([
            m.month,
            '(unallocated)',
            m.unallocated,
            m.provisional,
            overview.currency,
          ]);
        }
      }
    } else {
      const report = await this.unallocated(undefined, requiredKeys);
      lines.push([
        'month',
        'missing_tag',
        'account_id',
        'account_name',
        'aws_service',
        'amount',
        'currency',
      ]);
      for (const key of report.byTagKey) {
        for (const l of key.lines)
          lines.push([
            report.month,
            key.tagKey,
            l.accountId,
            l.accountName,
            l.awsService,
            l.amount,
            report.currency,
          ]);
      }
    }
    return `${lines.map(row => row.map(csvCell).join(',')).join('\n')}\n`;
  }
}
