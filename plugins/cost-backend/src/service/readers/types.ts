/** What the cost readers are configured with and answer for. */

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

/** Per month: a product's direct spend, and whether any of it is still provisional. */
export type MonthTotals = Map<string, { amount: number; provisional: boolean }>;
