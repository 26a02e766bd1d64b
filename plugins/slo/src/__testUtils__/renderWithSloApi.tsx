import { ReactElement } from 'react';
import {
  entityPageRoutes,
  mountedAt,
  pending,
  renderInLegacyApp,
} from '@internal/platform-react/testUtils';
import { NewReviewNote, SloApi, sloApiRef } from '../api/SloApi';
import { entityPageRouteRef, rootRouteRef } from '../routes';
import { SloRoutes } from '../components/SloPage/SloPage';
import { FIXTURE_NOW } from './sloFixtures';

/** An SloApi whose calls never settle unless a test says otherwise. */
export function mockSloApi(
  overrides: Partial<jest.Mocked<SloApi>> = {},
): jest.Mocked<SloApi> {
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
    signOff: jest.fn((_week: string, _team: string) => pending()),
    getCorrections: jest.fn(async (_sloKey: string) => []),
    addCorrection: jest.fn(_correction => pending()),
    revokeCorrection: jest.fn((_id: string) => pending()),
    getDeployApprovals: jest.fn((_componentRef: string, _deployId?: string) =>
      pending(),
    ),
    approveDeploy: jest.fn(_approval => pending()),
    ...overrides,
  };
}

/** The SLOs page at /slo and the catalog's entity pages (their SLO tab). */
export const sloMountedRoutes = {
  '/slo': rootRouteRef,
  ...entityPageRoutes(entityPageRouteRef),
};

/** Renders an element (the SLO tab, a table) in a test app with the given SloApi. */
export function renderWithSloApi(element: ReactElement, api: SloApi) {
  return renderInLegacyApp(element, {
    apis: [[sloApiRef, api]],
    // The pages' clock in these tests: the fixtures' "now", whatever day the tests run.
    now: FIXTURE_NOW,
    mountedRoutes: sloMountedRoutes,
  });
}

/** Renders the SLOs page, mounted at /slo as in the app, at `path`. */
export function renderSloPage(path: string, api: SloApi) {
  return renderInLegacyApp(mountedAt('/slo', <SloRoutes />), {
    apis: [[sloApiRef, api]],
    now: FIXTURE_NOW,
    mountedRoutes: sloMountedRoutes,
    path,
  });
}
