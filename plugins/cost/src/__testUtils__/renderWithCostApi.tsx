import { ReactElement } from 'react';
import {
  entityPageRoutes,
  mountedAt,
  pending,
  renderInLegacyApp,
} from '@internal/platform-react/testUtils';
import {
  CostApi,
  costApiRef,
  CostCategoryFormat,
  CostExportView,
} from '../api/CostApi';
import { productPageRouteRef, rootRouteRef } from '../routes';
import { CostRoutes } from '../components/CostPage/CostPage';
import { COST_TEST_NOW } from './costFixtures';

/** A CostApi whose calls never settle unless a test says otherwise. */
export function mockCostApi(
  overrides: Partial<jest.Mocked<CostApi>> = {},
): jest.Mocked<CostApi> {
  return {
    getOverview: jest.fn(pending),
    getProduct: jest.fn((_product: string) => pending()),
    getEntityCost: jest.fn((_entityRef: string) => pending()),
    getUnallocated: jest.fn((_month?: string) => pending()),
    getAnomalies: jest.fn(async () => []),
    getExportUrl: jest.fn(
      async (view: CostExportView) =>
        `http://localhost:7007/api/cost/export.csv?view=${view}`,
    ),
    downloadExport: jest.fn(
      async (_view: CostExportView) => new Blob(['product,amount\n']),
    ),
    getUntaggedResources: jest.fn(pending),
    getCoverageTrend: jest.fn(pending),
    getCostCategoryUrl: jest.fn(
      async (format: CostCategoryFormat) =>
        `http://localhost:7007/api/cost/cost-category.${format}`,
    ),
    downloadCostCategory: jest.fn(
      async (_format: CostCategoryFormat) => new Blob(['{}']),
    ),
    ...overrides,
  };
}

/** The Cost page at /cost, its product view bound for the cards, the catalog's pages. */
export const costMountedRoutes = {
  '/cost': rootRouteRef,
  '/cost/products/:product': productPageRouteRef,
  ...entityPageRoutes(),
};

/** Renders an element (an entity card, a table) in a test app with the given CostApi, at `now`. */
export function renderWithCostApi(
  element: ReactElement,
  api: CostApi,
  now: string = COST_TEST_NOW,
) {
  return renderInLegacyApp(element, {
    apis: [[costApiRef, api]],
    now,
    mountedRoutes: costMountedRoutes,
  });
}

/** Renders the Cost page, mounted at /cost as in the app, at `path`, at `now`. */
export function renderCostPage(
  path: string,
  api: CostApi,
  now: string = COST_TEST_NOW,
) {
  return renderInLegacyApp(mountedAt('/cost', <CostRoutes />), {
    apis: [[costApiRef, api]],
    now,
    mountedRoutes: costMountedRoutes,
    path,
  });
}
