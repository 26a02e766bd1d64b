/**
 * The cost API's answers (plugins/cost-backend, routes under /api/cost), read by the cost frontend.
 * Amounts are in `currency` (the billing currency), rounded to cents. Months are `YYYY-MM`,
 * days `YYYY-MM-DD`. "Provisional" means AWS still marks the period Estimated.
 */

import type { ProductBudget } from './budgets';
import type {
  ChargeSummary,
  CoverageBasis,
  CurrencyNote,
  TagActivation,
  TagKeyActivation,
} from './charges';

/** How fresh the stored figures are, per AWS account the refresh reads. */
export interface CostFreshness {
  /** When the last refresh that stored usage finished (ISO time), if any has. */
  refreshedAt?: string;
  accounts: AccountFreshness[];
}

export interface AccountFreshness {
  accountId: string;
  accountName?: string;
  /** Last successful refresh for this account (ISO time). */
  lastSuccessAt?: string;
  /** Set when the latest attempt failed: the figures shown are from lastSuccessAt. */
  lastError?: { at: string; code: string; message: string };
  stale: boolean;
  /**
   * Months (YYYY-MM) inside this account's history that have no figures: it failed while they
   * were readable. Its next successful refresh re-reads them (Cost Explorer keeps 13 months).
   */
  missingMonths?: string[];
  /**
   * What the latest usage refresh of this account spent: AWS requests (Cost Explorer bills each),
   * and, from a data export, the SQL queries run and the bytes they scanned (Athena bills bytes).
   */
  lastRefresh?: { awsCalls: number; queries: number; bytesScanned: number };
}

export interface MonthlyAmount {
  month: string;
  amount: number;
  provisional: boolean;
}

export interface DailyAmount {
  day: string;
  amount: number;
  provisional: boolean;
}

/** One product's line in the lead's table. */
export interface ProductCostSummary {
  /** The `product` tag value (= System name). */
  product: string;
  /** `system:default/<product>` when the catalog has that System; absent for a mis-tagged value. */
  entityRef?: string;
  title?: string;
  domain?: string;
  /** Owner group ref, e.g. `group:default/ledger-team`. */
  owner?: string;
  /** A shared cost pool (e.g. the platform's `shared` value), split across products rather than a product. */
  sharedPool?: boolean;
  /** Direct cost (carrying this product tag) in the last full month. */
  lastFullMonth: number;
  monthToDate: number;
  /** Forecast for the whole current month (direct), when a forecast has been fetched. */
  forecastMonth?: number;
  /** Last full month vs the month before, in percent; null when the month before had no cost. */
  monthOverMonthPercent: number | null;
  /** The last 6 full months, oldest first. */
  sparkline: MonthlyAmount[];
  /** Share of all direct product cost in the last full month, percent. */
  sharePercent: number;
  /** Shared cost allocated to this product by the split rules, last full month (shown separately). */
  sharedLastFullMonth: number;
  /** Charges (support, credits, ...) spread to this product by `cost.chargeSpread`, last full month (shown separately). */
  chargesLastFullMonth?: number;
  unitCost?: UnitCost;
  /** The month against the product's monthly budget, when it has one. */
  budget?: ProductBudget;
  /** Why the product's budget annotation was not read (names the annotation and the fix). */
  budgetProblem?: string;
}

/** Cost per 1,000 units of a business metric (e.g. payments authorised). */
export interface UnitCost {
  metric: string;
  /** Per month, oldest first: cost per 1,000 units. */
  trend: Array<{
    month: string;
    costPerThousand: number;
    units: number;
    /** The current month so far: its cost and units up to the start of today (Prometheus only). */
    toDate?: boolean;
  }>;
  /** Where the units come from: static figures in config, or a Prometheus query per month. */
  source?: 'config' | 'prometheus';
  /** Months shown without a figure and why ("no data": Prometheus had none or did not answer). */
  noData?: Array<{ month: string; reason: string }>;
}

export interface TagCoverage {
  /** Percent of spend carrying every required tag (dollar-weighted). */
  coveredPercent: number;
  coveredAmount: number;
  totalAmount: number;
}

export interface TeamTagCoverage extends TagCoverage {
  /** The `team` tag value; `` for spend without a team tag. */
  team: string;
  entityRef?: string;
}

export interface CostOverview {
  currency: string;
  /** The Cost Explorer metric the figures use, e.g. AmortizedCost. */
  metric: string;
  freshness: CostFreshness;
  lastFullMonth: string;
  currentMonth: string;
  totals: {
    /** All spend (direct + shared + unallocated) in the last full month. */
    lastFullMonth: number;
    monthToDate: number;
    forecastMonth?: number;
    /** The forecast's 80% range for the month, and what it means (see CostForecast.range). */
    forecastRange?: {
      low: number;
      high: number;
      level: number;
      basis: 'organization' | 'accounts-summed';
      accounts: number;
      meaning: string;
    };
    monthOverMonthPercent: number | null;
  };
  products: ProductCostSummary[];
  /** For the stacked chart: per month, direct cost by product plus shared and unallocated. */
  monthly: Array<{
    month: string;
    provisional: boolean;
    byProduct: Record<string, number>;
    shared: number;
    unallocated: number;
    /** Net charges no tag can carry (tax, support, fees, marketplace, less credits and refunds); organisation-wide only. */
    charges?: number;
  }>;
  /** Spend without a `product` tag, last full month. */
  unallocated: {
    lastFullMonth: number;
    sharePercent: number;
    /**
     * Set when AWS cannot group by the product tag (not activated, or never on a bill): the
     * figures then say nothing about untagged resources, and no one must own them. What to do.
     */
    notMeasured?: string;
  };
  shared: { lastFullMonth: number };
  tagCoverage: {
    overall: TagCoverage;
    byTeam: TeamTagCoverage[];
    /** The keys coverage counts and those it left out (AWS cannot group by them). */
    basis?: CoverageBasis;
  };
  /** Whether AWS can group by each required tag key, with the fix for those it cannot. */
  tagActivation?: TagActivation;
  /** Tax, support, credits, refunds, fees and marketplace: in the totals, never "unallocated". */
  charges?: ChargeSummary;
  /** Set when AWS's currency differs from `cost.currency`: what the amounts are in, and any conversion. */
  currencyNote?: CurrencyNote;
  /** True when the caller may only see some products (not in a lead group): totals cover those only. */
  restricted: boolean;
}

export interface CostBreakdownLine {
  /** The tag or dimension value; `` = the tag is missing. */
  key: string;
  label?: string;
  lastFullMonth: number;
  monthToDate: number;
}

export interface CostAnomaly {
  id: string;
  start: string;
  end: string;
  awsService: string;
  accountId: string;
  accountName?: string;
  region?: string;
  usageType?: string;
  actual: number;
  expected: number;
  impact: number;
  impactPercent: number;
  /** Products with spend on that AWS service in that account during the anomaly, largest first. */
  products: string[];
  /**
   * Every root cause AWS traced the spike to, largest dollar contribution first (the fields above
   * are the first one's).
   */
  rootCauses: Array<{
    awsService?: string;
    accountId?: string;
    accountName?: string;
    region?: string;
    usageType?: string;
    contribution?: number;
  }>;
  /** Every Cost Anomaly Detection monitor that reported this spike (overlapping monitors report it once each). */
  monitors: Array<{ arn: string; name?: string }>;
}

export interface ProductCostDetail {
  currency: string;
  /** Set when AWS's currency differs from `cost.currency`: what the amounts are in, and any conversion. */
  currencyNote?: CurrencyNote;
  metric: string;
  freshness: CostFreshness;
  lastFullMonth: string;
  currentMonth: string;
  summary: ProductCostSummary;
  /** 13 months, oldest first. */
  monthly: Array<{
    month: string;
    provisional: boolean;
    direct: number;
    shared: number;
  }>;
  /** About 40 days, oldest first. */
  daily: DailyAmount[];
  byService: CostBreakdownLine[];
  byTeam: CostBreakdownLine[];
  byEnvironment: CostBreakdownLine[];
  byAwsService: CostBreakdownLine[];
  byAccount: CostBreakdownLine[];
  anomalies: CostAnomaly[];
  /** Tag coverage of the product's services (last full month). */
  serviceTagCoverage: Array<
    TagCoverage & { service: string; entityRef?: string }
  >;
}

/** Cost of one catalog entity, for the entity cards. */
export type EntityCost =
  | {
      mapped: true;
      entityRef: string;
      kind: 'system' | 'component' | 'group';
      currency: string;
      freshness: CostFreshness;
      lastFullMonth: string;
      currentMonth: string;
      /** Direct cost, last full month / month to date. */
      lastFullMonthAmount: number;
      monthToDate: number;
      monthOverMonthPercent: number | null;
      monthly: MonthlyAmount[];
      /** System: by service; component: by AWS service; group: by product. */
      breakdown: CostBreakdownLine[];
      tagCoverage?: TagCoverage;
    }
  | {
      mapped: false;
      entityRef: string;
      /** What to do, e.g. "not mapped: add the tag service=ledger-writer to its AWS resources". */
      reason: string;
      tagKey?: string;
      tagValue?: string;
    };

/** Spend missing one required tag key, with the drill-down someone needs to own it. */
export interface UnallocatedSpend {
  tagKey: string;
  month: string;
  amount: number;
  sharePercent: number;
  byAccount: Array<{ accountId: string; accountName?: string; amount: number }>;
  byAwsService: Array<{ awsService: string; amount: number }>;
  /** Account x AWS service lines, largest first. */
  lines: Array<{
    accountId: string;
    accountName?: string;
    awsService: string;
    amount: number;
  }>;
}

export interface UnallocatedReport {
  currency: string;
  month: string;
  total: number;
  byTagKey: UnallocatedSpend[];
  /** Required keys AWS cannot group by: no spend is measured as missing them; each has its fix. */
  keysNotMeasured?: TagKeyActivation[];
  /** False when tag status could not be read: a key listed in byTagKey may be inactive, not missing. */
  verified?: boolean;
  currencyNote?: CurrencyNote;
}

/** AWS's forecast for the current and next month, split to products by their recent run rate. */
export interface CostForecast {
  currency: string;
  metric: string;
  currentMonth: string;
  /** Whole current month: spend so far plus AWS's forecast of the rest (80% prediction interval). */
  current?: { monthToDate: number; mean: number; low: number; high: number };
  /** Why `current` is absent (no forecast fetched yet, an outdated one, or not the caller's to see). */
  unavailable?: string;
  next?: { month: string; mean: number; low: number; high: number };
  /**
   * What low..high means. `organization`: AWS's own 80% prediction interval of the whole bill.
   * `accounts-summed`: the sum of each account's own 80% interval (read per account): at least as
   * wide as the organisation's, since AWS does not say how the accounts move together.
   */
  range?: {
    level: number;
    basis: 'organization' | 'accounts-summed';
    accounts: number;
    meaning: string;
  };
  /** Each product's month forecast: its month-to-date plus its run-rate share of the remainder. */
  byProduct: Array<{
    product: string;
    monthToDate: number;
    forecastMonth: number;
  }>;
}
