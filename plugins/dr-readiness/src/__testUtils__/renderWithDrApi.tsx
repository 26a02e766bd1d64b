import { ReactElement } from 'react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { WaiverRequest } from '@internal/dr-readiness-common';
import { ClockProvider, fixedClock } from '@internal/platform-react';
import {
  DrReadinessApi,
  drReadinessApiRef,
  EvidenceFormat,
  EvidenceScope,
} from '../api/DrReadinessApi';
import { rootRouteRef } from '../routes';
import { DR_TEST_NOW } from './drFixtures';

/** A DrReadinessApi whose calls never settle unless a test says otherwise. */
export function mockDrApi(
  overrides: Partial<jest.Mocked<DrReadinessApi>> = {},
): jest.Mocked<DrReadinessApi> {
  const pending = () => new Promise<never>(() => {});
  return {
    getScorecard: jest.fn(pending),
    getService: jest.fn((_entityRef: string) => pending()),
    getHistory: jest.fn((_entityRef: string) => pending()),
    rescan: jest.fn((_entityRef: string) => pending()),
    addWaiver: jest.fn((_entityRef: string, _waiver: WaiverRequest) =>
      pending(),
    ),
    revokeWaiver: jest.fn((_entityRef: string, _waiverId: string) => pending()),
    getScans: jest.fn(async () => []),
    getEvidenceUrl: jest.fn(
      async (scope: EvidenceScope, format: EvidenceFormat) =>
        `http://localhost:7007/api/dr-readiness/evidence?${
          'tier' in scope
            ? `tier=${scope.tier}`
            : `entityRef=${encodeURIComponent(scope.entityRef)}`
        }&format=${format}`,
    ),
    downloadEvidence: jest.fn(
      async (_scope: EvidenceScope, format: EvidenceFormat) => ({
        blob: new Blob(['{}']),
        filename: `dr-evidence.${format}`,
      }),
    ),
    ...overrides,
  };
}

const mountedRoutes = {
  '/dr-readiness': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

/**
 * Renders an element (the DR tab, the scorecard) in a test app with the given API, at `path`,
 * on a clock stopped at DR_TEST_NOW (the fixtures' "now").
 */
export function renderWithDrApi(
  element: ReactElement,
  api: DrReadinessApi,
  path = '/',
) {
  return renderInTestApp(
    <ClockProvider clock={fixedClock(DR_TEST_NOW)}>
      <TestApiProvider apis={[[drReadinessApiRef, api]]}>
        {element}
      </TestApiProvider>
    </ClockProvider>,
    { routeEntries: [path], mountedRoutes },
  );
}
