import { ReactElement } from 'react';
import { ScaffolderApi } from '@backstage/plugin-scaffolder-common';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import {
  entityPageRoutes,
  pending,
  renderInLegacyApp,
  responseErrorFor,
} from '@internal/platform-react/testUtils';
import { GoldenPathsApi, goldenPathsApiRef } from '../api/GoldenPathsApi';
import { rootRouteRef, scaffolderTaskRouteRef } from '../routes';

/** A GoldenPathsApi whose calls never settle unless a test says otherwise. */
export function mockGoldenPathsApi(
  overrides: Partial<jest.Mocked<GoldenPathsApi>> = {},
): jest.Mocked<GoldenPathsApi> {
  return {
    getFleet: jest.fn(pending),
    getPlan: jest.fn((_entityRef: string, _toVersion?: string) => pending()),
    preview: jest.fn(_request => pending()),
    getProposal: jest.fn((_id: string) => pending()),
    listProposals: jest.fn((_entityRef: string) => pending()),
    merge: jest.fn((_id: string) => pending()),
    resolve: jest.fn((_id: string, _path: string, _take) => pending()),
    close: jest.fn((_id: string) => pending()),
    ...overrides,
  };
}

/** The scaffolder as far as the upgrade page uses it: `scaffold` answers a task id. */
export function mockScaffolderApi(taskId = 'task-42') {
  return {
    scaffold: jest.fn().mockResolvedValue({ taskId }),
  } as unknown as jest.Mocked<ScaffolderApi>;
}

/** How the client fails for a backend's error answer (status, Backstage error name, message). */
export const backendError = responseErrorFor({
  method: 'POST',
  url: 'http://localhost:7007/api/golden-paths/proposals',
});

/** The fleet at /golden-paths, the scaffolder's task pages, the catalog's entity pages. */
export const goldenPathsMountedRoutes = {
  '/golden-paths': rootRouteRef,
  '/create/tasks/:taskId': scaffolderTaskRouteRef,
  ...entityPageRoutes(),
};

/** Renders a golden-paths view in a legacy test app with the given APIs, at `path`. */
export function renderWithApi(
  element: ReactElement,
  api: GoldenPathsApi,
  options: { path?: string; scaffolderApi?: ScaffolderApi } = {},
) {
  return renderInLegacyApp(element, {
    apis: [
      [goldenPathsApiRef, api],
      [scaffolderApiRef, options.scaffolderApi ?? mockScaffolderApi()],
    ],
    mountedRoutes: goldenPathsMountedRoutes,
    path: options.path,
  });
}
