import { createApiRef } from '@backstage/core-plugin-api';
import {
  BackendClient,
  BackendClientOptions,
  backendClientFactory,
} from '@internal/platform-react';
import {
  COST_ROUTES,
  CostAnomaly,
  CostOverview,
  EntityCost,
  ProductCostDetail,
  TeamCoverageTrend,
  UnallocatedReport,
  UntaggedResourcesReport,
} from '@internal/cost-common';

/** The CSV exports the backend offers. */
export type CostExportView = 'products' | 'monthly' | 'unallocated';

/** The generated AWS Cost Category: the CreateCostCategoryDefinition JSON or the Terraform resource. */
export type CostCategoryFormat = 'json' | 'tf';

/** Reads the cost backend (plugins/cost-backend, /api/cost). */
export interface CostApi {
  getOverview(): Promise<CostOverview>;
  /** Throws a ResponseError with status 404 when no cost is recorded for the product. */
  getProduct(product: string): Promise<ProductCostDetail>;
  /** `mapped: false` answers are not errors: they say which tag to add. */
  getEntityCost(entityRef: string): Promise<EntityCost>;
  /** `month` as YYYY-MM; without it, the last full month. */
  getUnallocated(month?: string): Promise<UnallocatedReport>;
  getAnomalies(): Promise<CostAnomaly[]>;
  /** The export's address, for links (fetching it needs the user's token, see downloadExport). */
  getExportUrl(view: CostExportView): Promise<string>;
  /** Fetches an export with the user's credentials. */
  downloadExport(view: CostExportView): Promise<Blob>;
  /** Resources missing required tags, per account and AWS service, with owners and fixes. */
  getUntaggedResources(): Promise<UntaggedResourcesReport>;
  /** Tag coverage per team, month by month. */
  getCoverageTrend(): Promise<TeamCoverageTrend>;
  getCostCategoryUrl(format: CostCategoryFormat): Promise<string>;
  downloadCostCategory(format: CostCategoryFormat): Promise<Blob>;
}

export const costApiRef = createApiRef<CostApi>({ id: 'plugin.cost.api' });

/** CostApi over fetchApi (which adds the user's token) and discoveryApi. */
export class CostClient extends BackendClient implements CostApi {
  constructor(options: BackendClientOptions) {
    super('cost', options);
  }

  getOverview(): Promise<CostOverview> {
    return this.request(COST_ROUTES.overview);
  }

  getProduct(product: string): Promise<ProductCostDetail> {
    return this.request(COST_ROUTES.product(product));
  }

  getEntityCost(entityRef: string): Promise<EntityCost> {
    return this.request(COST_ROUTES.entity(entityRef));
  }

  getUnallocated(month?: string): Promise<UnallocatedReport> {
    return this.request(COST_ROUTES.unallocated(month));
  }

  async getAnomalies(): Promise<CostAnomaly[]> {
    const body = await this.request<{ anomalies: CostAnomaly[] }>(
      COST_ROUTES.anomalies,
    );
    return body.anomalies;
  }

  async getExportUrl(view: CostExportView): Promise<string> {
    return `${await this.baseUrl()}${COST_ROUTES.exportCsv(view)}`;
  }

  async downloadExport(view: CostExportView): Promise<Blob> {
    const response = await this.fetchFile(await this.getExportUrl(view));
    return response.blob();
  }

  getUntaggedResources(): Promise<UntaggedResourcesReport> {
    return this.request(COST_ROUTES.untaggedResources);
  }

  getCoverageTrend(): Promise<TeamCoverageTrend> {
    return this.request(COST_ROUTES.coverageTrend);
  }

  async getCostCategoryUrl(format: CostCategoryFormat): Promise<string> {
    return `${await this.baseUrl()}${COST_ROUTES.costCategory(format)}`;
  }

  async downloadCostCategory(format: CostCategoryFormat): Promise<Blob> {
    const response = await this.fetchFile(
      await this.getCostCategoryUrl(format),
    );
    return response.blob();
  }
}

/** The API for both frontend systems: CostClient over the app's discoveryApi and fetchApi. */
export const costApiFactory = backendClientFactory(
  costApiRef,
  options => new CostClient(options),
);
