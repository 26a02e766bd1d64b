import { ReactElement } from 'react';
import { Route, Routes } from 'react-router-dom';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ClockProvider, fixedClock } from '@internal/platform-react';
import { CostApi, costApiRef, CostExportView } from '../api/CostApi';
import { rootRouteRef } from '../routes';
import { CostRoutes } from '../components/CostPage/CostPage';
import { COST_TEST_NOW } from './costFixtures';

/** A CostApi whose calls never settle unless a test says otherwise. */
export function mockCostApi(
  overrides: Partial<jest.Mocked<CostApi>> = {},
): jest.Mocked<CostApi> {
  const pending = () => new Promise<never>(() => {});
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
    ...overrides,
  };
}

const mountedRoutes = {
  '/cost': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

/** Renders an element (an entity card, a table) in a test app with the given CostApi, at `now`. */
export function renderWithCostApi(
  element: ReactElement,
  api: CostApi,
  now: string = COST_TEST_NOW,
) {
  return renderInTestApp(
    <ClockProvider clock={fixedClock(now)}>
      <TestApiProvider apis={[[costApiRef, api]]}>{element}</TestApiProvider>
    </ClockProvider>,
    {
      mountedRoutes,
    },
  );
}

/** Renders the Cost page, mounted at /cost as in the app, at `path`, at `now`. */
export function renderCostPage(
  path: string,
  api: CostApi,
  now: string = COST_TEST_NOW,
) {
  return renderInTestApp(
    <ClockProvider clock={fixedClock(now)}>
      <TestApiProvider apis={[[costApiRef, api]]}>
        <Routes>
          <Route path="/cost/*" element={<CostRoutes />} />
        </Routes>
      </TestApiProvider>
    </ClockProvider>,
    { routeEntries: [path], mountedRoutes },
  );
}
