/**
 * Shared by the cost backend and frontend: the API's types and the cost.read permission.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './untaggedResources';
export * from './budgets';
export * from './charges';

/** The API's routes, relative to the plugin's base URL (discoveryApi.getBaseUrl('cost')). */
export const COST_ROUTES = {
  overview: '/overview',
  product: (product: string) => `/products/${encodeURIComponent(product)}`,
  entity: (entityRef: string) =>
    `/entity?entityRef=${encodeURIComponent(entityRef)}`,
  unallocated: (month?: string) =>
    month ? `/unallocated?month=${month}` : '/unallocated',
  anomalies: '/anomalies',
  forecast: '/forecast',
  exportCsv: (view: 'products' | 'monthly' | 'unallocated') =>
    `/export.csv?view=${view}`,
  untaggedResources: '/untagged-resources',
  coverageTrend: '/coverage/teams',
  costCategory: (format: 'json' | 'tf') => `/cost-category.${format}`,
} as const;
