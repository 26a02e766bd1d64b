import { ReactElement } from 'react';
import { Route, Routes } from 'react-router-dom';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ClockProvider, fixedClock } from '@internal/platform-react';
import { NewReviewNote, SloApi, sloApiRef } from '../api/SloApi';
import { rootRouteRef } from '../routes';
import { SloRoutes } from '../components/SloPage/SloPage';
import { FIXTURE_NOW } from './sloFixtures';

/** An SloApi whose calls never settle unless a test says otherwise. */
export function mockSloApi(
  overrides: Partial<jest.Mocked<SloApi>> = {},
): jest.Mocked<SloApi> {
  const pending = () => new Promise<never>(() => {});
  return {
    getOverview: jest.fn(pending),
    getEntitySlos: jest.fn((_entityRef: string) => pending()),
    getBurnDown: jest.fn((_key: string) => pending()),
    getReview: jest.fn((_week?: string) => pending()),
    addNote: jest.fn((_week: string, _note: NewReviewNote) => pending()),
    setNoteDone: jest.fn((_week: string, _id: string, _done: boolean) =>
      pending(),
    ),
    downloadReviewMarkdown: jest.fn(
      async (_week: string) => new Blob(['# SLO review\n']),
    ),
    downloadRules: jest.fn(
      async (_entityRef: string) => new Blob(['groups: []\n']),
    ),
    ...overrides,
  };
}

const mountedRoutes = {
  '/slo': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

/** The pages' clock in these tests: the fixtures' "now", whatever day the tests run. */
const clock = fixedClock(FIXTURE_NOW);

/** Renders an element (the SLO tab, a table) in a test app with the given SloApi. */
export function renderWithSloApi(element: ReactElement, api: SloApi) {
  return renderInTestApp(
    <ClockProvider clock={clock}>
      <TestApiProvider apis={[[sloApiRef, api]]}>{element}</TestApiProvider>
    </ClockProvider>,
    { mountedRoutes },
  );
}

/** Renders the SLOs page, mounted at /slo as in the app, at `path`. */
export function renderSloPage(path: string, api: SloApi) {
  return renderInTestApp(
    <ClockProvider clock={clock}>
      <TestApiProvider apis={[[sloApiRef, api]]}>
        <Routes>
          <Route path="/slo/*" element={<SloRoutes />} />
        </Routes>
      </TestApiProvider>
    </ClockProvider>,
    { routeEntries: [path], mountedRoutes },
  );
}
