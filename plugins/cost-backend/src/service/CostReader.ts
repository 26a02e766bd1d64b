import type {
  CostAnomaly,
  CostForecast,
  CostFreshness,
  CostOverview,
  EntityCost,
  ProductCostDetail,
  UnallocatedReport,
} from '@internal/cost-common';
import type { CostReads } from '../database/CostStore';
import { isoDay } from './dates';
import { anomalies } from './readers/anomalies';
import { csv, CsvView } from './readers/csv';
import { CostEntityKind, entity } from './readers/entity';
import { freshness } from './readers/figures';
import { forecast } from './readers/forecast';
import { overview } from './readers/overview';
import { product } from './readers/product';
import { Snapshots } from './readers/snapshot';
import type {
  CatalogDirectory,
  CostReaderOptions,
  ProductVisibility,
} from './readers/types';
import { unallocated } from './readers/unallocated';

export type {
  CatalogDirectory,
  CostReaderOptions,
  ProductVisibility,
  SharedCostRule,
  UnitMetric,
} from './readers/types';

/**
 * Answers every cost question from the store (never from AWS): one entry point over the readers
 * of each view (service/readers), which share one memo of the current snapshot. The
 * organisation-wide figures are computed once per data version; what a caller may see is
 * filtered per request. The views it returns are shared between callers: read them, never change them.
 */
export class CostReader {
  private readonly snapshots: Snapshots;

  constructor(
    private readonly store: CostReads,
    options: CostReaderOptions,
    catalog: () => Promise<CatalogDirectory>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.snapshots = new Snapshots(store, options, catalog, now);
  }

  /** How fresh each account's figures are, read now (not memoised). */
  freshness(): Promise<CostFreshness> {
    return freshness(this.store, isoDay(this.now()));
  }

  async overview(visibility: ProductVisibility): Promise<CostOverview> {
    return overview(await this.snapshots.current(), visibility);
  }

  async product(name: string): Promise<ProductCostDetail | undefined> {
    return product(await this.snapshots.current(), name);
  }

  async entity(
    kind: CostEntityKind,
    name: string,
    entityRef: string,
  ): Promise<EntityCost> {
    return entity(await this.snapshots.current(), kind, name, entityRef);
  }

  async unallocated(
    month: string | undefined,
    requiredKeys: string[],
  ): Promise<UnallocatedReport> {
    return unallocated(await this.snapshots.current(), month, requiredKeys);
  }

  async anomalies(): Promise<CostAnomaly[]> {
    return anomalies(await this.snapshots.current());
  }

  async forecast(visibility: ProductVisibility): Promise<CostForecast> {
    return forecast(await this.snapshots.current(), visibility);
  }

  /** CSV for spreadsheets: one header row, one row per line. */
  async csv(
    view: CsvView,
    visibility: ProductVisibility,
    requiredKeys: string[],
  ): Promise<string> {
    return csv(await this.snapshots.current(), view, visibility, requiredKeys);
  }
}
