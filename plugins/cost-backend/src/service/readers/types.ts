/** What the cost readers are configured with and answer for. */

import type { ConfiguredBudget } from '../budgets';
import type { UnitMonths } from './unitMonths';
import type { ExchangeRate } from '../chargeSettings';
import type { ChargeSpreadRule } from '../chargeTypes';

/** What the reader needs to know of the catalog: products, services and teams by name. */
export interface CatalogDirectory {
  systems: Map<
    string,
    {
      ref: string;
      title?: string;
      domain?: string;
      owner?: string;
      /** The System's `payments-platform/monthly-budget` annotation, as written. */
      budgetAnnotation?: string;
    }
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
  /**
   * PromQL giving the units of a month, evaluated at the month's end (`$__range` = the month's
   * length, e.g. 30d); the months come from Prometheus (see unitMetricMonths), not from config.
   */
  query?: string;
}

export interface CostReaderOptions {
  currency: string;
  metric: string;
  productTag: string;
  serviceTag: string;
  teamTag: string;
  sharedRules: SharedCostRule[];
  unitMetrics: UnitMetric[];
  /** Charges (by RECORD_TYPE) spread over products; none when absent. */
  chargeSpread?: ChargeSpreadRule[];
  /** Converts amounts AWS reports in `from` into `currency`. */
  exchangeRate?: ExchangeRate;
  /** Monthly budgets from config (`cost.budgets`); they win over the System's annotation. */
  budgets?: ConfiguredBudget[];
  /** Loads the units Prometheus gave per product and month (unit metrics with a query). */
  unitMetricMonths?: () => Promise<UnitMonths>;
}

/** Which products the caller may see: all, or those this predicate allows. */
export type ProductVisibility =
  | { all: true }
  | { all: false; products: Set<string> };

/** Per month: a product's direct spend, and whether any of it is still provisional. */
export type MonthTotals = Map<string, { amount: number; provisional: boolean }>;
