import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  COST_ROUTES,
  CostAnomaly,
  CostOverview,
  EntityCost,
  ProductCostDetail,
  UnallocatedReport,
} from '@internal/cost-common';

/** The CSV exports the backend offers. */
export type CostExportView = 'products' | 'monthly' | 'unallocated';

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
}

export const costApiRef = createApiRef<CostApi>({ id: 'plugin.cost.api' });

/** CostApi over fetchApi (which adds the user's token) and discoveryApi. */
export class CostClient implements CostApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getOverview(): Promise<CostOverview> {
    return this.getJson(COST_ROUTES.overview);
  }

  getProduct(product: string): Promise<ProductCostDetail> {
    return this.getJson(COST_ROUTES.product(product));
  }

  getEntityCost(entityRef: string): Promise<EntityCost> {
    return this.getJson(COST_ROUTES.entity(entityRef));
  }

  getUnallocated(month?: string): Promise<UnallocatedReport> {
    return this.getJson(COST_ROUTES.unallocated(month));
  }

  async getAnomalies(): Promise<CostAnomaly[]> {
    const body = await this.getJson<{ anomalies: CostAnomaly[] }>(
      COST_ROUTES.anomalies,
    );
    return body.anomalies;
  }

  async getExportUrl(view: CostExportView): Promise<string> {
    return `${await this.baseUrl()}${COST_ROUTES.exportCsv(view)}`;
  }

  async downloadExport(view: CostExportView): Promise<Blob> {
    const response = await this.fetchApi.fetch(await this.getExportUrl(view));
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.blob();
  }

  private async baseUrl(): Promise<string> {
    return this.discoveryApi.getBaseUrl('cost');
  }

  private async getJson<T>(path: string): Promise<T> {
    const response = await this.fetchApi.fetch(
      `${await this.baseUrl()}${path}`,
      {
        headers: { Accept: 'application/json' },
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
