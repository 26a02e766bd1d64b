import { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { MockPermissionApi } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { DrillRequest, WaiverRequest } from '@internal/dr-readiness-common';
import {
  entityPageRoutes,
  pending,
  renderInLegacyApp,
} from '@internal/platform-react/testUtils';
import {
  DrReadinessApi,
  drReadinessApiRef,
  EvidenceFormat,
  EvidenceScope,
} from '../api/DrReadinessApi';
import { entityPageRouteRef, rootRouteRef } from '../routes';
import { DR_TEST_NOW } from './drFixtures';

/** A DrReadinessApi whose calls never settle unless a test says otherwise. */
export function mockDrApi(
  overrides: Partial<jest.Mocked<DrReadinessApi>> = {},
): jest.Mocked<DrReadinessApi> {
  return {
    getScorecard: jest.fn(pending),
    getService: jest.fn((_entityRef: string) => pending()),
    getHistory: jest.fn((_entityRef: string) => pending()),
    rescan: jest.fn((_entityRef: string) => pending()),
    addWaiver: jest.fn((_entityRef: string, _waiver: WaiverRequest) =>
      pending(),
    ),
    approveWaiver: jest.fn((_entityRef: string, _waiverId: string) =>
      pending(),
    ),
    revokeWaiver: jest.fn((_entityRef: string, _waiverId: string) => pending()),
    getDrills: jest.fn((_entityRef: string) => pending()),
    recordDrill: jest.fn((_entityRef: string, _drill: DrillRequest) =>
      pending(),
    ),
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
    verifyEvidenceChain: jest.fn(() => pending()),
    ...overrides,
  };
}

/** The scorecard at /dr-readiness and the catalog's entity pages (their DR tab). */
export const drMountedRoutes = {
  '/dr-readiness': rootRouteRef,
  ...entityPageRoutes(entityPageRouteRef),
};

/**
 * Renders an element (the DR tab, the scorecard) in a test app with the given API, at `path`,
 * on a clock stopped at DR_TEST_NOW (the fixtures' "now"). The permission policy allows
 * everything but the permissions `denied` names (e.g. `dr.scan.create`); each render asks it
 * afresh (usePermission's answers are cached per render, not across tests).
 */
export function renderWithDrApi(
  element: ReactElement,
  api: DrReadinessApi,
  path = '/',
  options: { denied?: string[] } = {},
) {
  const permissions = new MockPermissionApi(request =>
    options.denied?.includes(request.permission.name)
      ? AuthorizeResult.DENY
      : AuthorizeResult.ALLOW,
  );
  return renderInLegacyApp(
    <SWRConfig value={{ provider: () => new Map() }}>{element}</SWRConfig>,
    {
      apis: [
        [drReadinessApiRef, api],
        [permissionApiRef, permissions],
      ],
      now: DR_TEST_NOW,
      mountedRoutes: drMountedRoutes,
      path,
    },
  );
}
