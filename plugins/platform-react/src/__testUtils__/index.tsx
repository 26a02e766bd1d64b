/**
 * Test utilities of the platform's frontends (`@internal/platform-react/testUtils`): their test
 * apps (legacy and new frontend system), answers of their backends, jsdom's missing pieces.
 */
import { ReactElement } from 'react';
import { Route, Routes } from 'react-router-dom';
import {
  renderInTestApp,
  TestApiProvider,
  TestApiProviderProps,
} from '@backstage/test-utils';
import { FlatRoutes } from '@backstage/core-app-api';
import {
  ApiRef,
  BackstagePlugin,
  ExternalRouteRef,
  RouteRef,
} from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  createFrontendPlugin,
  ExtensionDefinition,
  FrontendFeature,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { ClockProvider, fixedClock } from '../Clock';

/** Where the test apps mount the catalog's entity pages. */
export const ENTITY_PAGE_PATH = '/catalog/:namespace/:kind/:name';

/** What a legacy test app mounts: paths to route refs, external ones bound to the path. */
export type MountedRoutes = Record<
  string,
  RouteRef | ExternalRouteRef<any, any>
>;

/**
 * The catalog's entity pages in a legacy test app: for its own links (EntityRefLink) and, when
 * given, a plugin's entity page route ref (see createEntityPageRouteRef) bound to the same pages.
 */
export function entityPageRoutes(
  entityPage?: ExternalRouteRef<any, any>,
): MountedRoutes {
  return {
    [ENTITY_PAGE_PATH]: entityRouteRef,
    // The same pages under another key: the test app binds the ref to a route of its own there.
    ...(entityPage ? { [`${ENTITY_PAGE_PATH}/*`]: entityPage } : {}),
  };
}

/**
 * The catalog plugin as far as the new frontend system's route bindings see it: its entity page
 * route, which plugins' entity page refs target by default (`catalog.catalogEntity`). Mount
 * `entityRouteRef` at ENTITY_PAGE_PATH with it.
 */
export const catalogStandIn = createFrontendPlugin({
  pluginId: 'catalog',
  routes: { catalogEntity: entityRouteRef },
  extensions: [],
});

/**
 * Renders a whole new-frontend-system app with `feature` (a plugin) at `path`, the catalog's
 * entity pages bound the way the real app binds them (see catalogStandIn).
 */
export function renderInNewApp(
  feature: FrontendFeature,
  options: {
    path: string;
    apis: NonNullable<Parameters<typeof renderTestApp>[0]>['apis'];
  },
) {
  return renderTestApp({
    features: [feature, catalogStandIn],
    initialRouteEntries: [options.path],
    mountedRoutes: { [ENTITY_PAGE_PATH]: entityRouteRef },
    apis: options.apis,
  });
}

/**
 * A legacy plugin offers what its new frontend system twin offers: the same id, routes, routes
 * to bind, and its API client factories.
 */
export function expectLegacyPlugin(
  plugin: BackstagePlugin,
  expected: {
    id: string;
    routes: object;
    externalRoutes: object;
    apis: Array<ApiRef<unknown>>;
  },
) {
  expect(plugin.getId()).toBe(expected.id);
  expect(plugin.routes).toEqual(expected.routes);
  expect(plugin.externalRoutes).toEqual(expected.externalRoutes);
  expect([...plugin.getApis()].map(factory => factory.api.id)).toEqual(
    expected.apis.map(api => api.id),
  );
}

/**
 * Renders an entity card or tab extension of a plugin (e.g. `entity-card:cost/system`) the way
 * the new frontend system shows it on `entity`'s page: in a whole test app with `features` (the
 * plugin, for its pages and routes) and the catalog's entity pages (see catalogStandIn).
 */
export function renderEntityExtension(
  extension: ExtensionDefinition,
  options: {
    entity: Entity;
    features: FrontendFeature[];
    apis: NonNullable<Parameters<typeof renderTestApp>[0]>['apis'];
  },
) {
  const host = createFrontendPlugin({
    pluginId: 'entity-page-host',
    extensions: [
      PageBlueprint.make({
        params: {
          path: '/entity-page-host',
          loader: async () => (
            <EntityProvider entity={options.entity}>
              {createExtensionTester(extension).reactElement()}
            </EntityProvider>
          ),
        },
      }),
    ],
  });
  return renderTestApp({
    features: [...options.features, catalogStandIn, host],
    initialRouteEntries: ['/entity-page-host'],
    mountedRoutes: { [ENTITY_PAGE_PATH]: entityRouteRef },
    apis: options.apis,
  });
}

/**
 * Renders `element` in a legacy test app with the given APIs, at `path` (default `/`), with
 * `mountedRoutes` mounted; on a clock stopped at `now` when given.
 */
export function renderInLegacyApp(
  element: ReactElement,
  options: {
    apis: TestApiProviderProps<any>['apis'];
    now?: string | Date;
    mountedRoutes: MountedRoutes;
    path?: string;
  },
) {
  const { apis, now, mountedRoutes, path = '/' } = options;
  const withApis = <TestApiProvider apis={apis}>{element}</TestApiProvider>;
  return renderInTestApp(
    now === undefined ? (
      withApis
    ) : (
      <ClockProvider clock={fixedClock(now)}>{withApis}</ClockProvider>
    ),
    { routeEntries: [path], mountedRoutes },
  );
}

/**
 * Renders a legacy plugin page (a routable extension, e.g. `<CostPage />`) as a legacy app routes
 * it: `<FlatRoutes><Route path={mountPath} element={page} /></FlatRoutes>`, at `path`.
 */
export function renderLegacyPage(
  page: ReactElement,
  options: {
    mountPath: string;
    path?: string;
    apis: TestApiProviderProps<any>['apis'];
    mountedRoutes: MountedRoutes;
  },
) {
  const { mountPath, path = mountPath, apis, mountedRoutes } = options;
  return renderInLegacyApp(
    <FlatRoutes>
      <Route path={mountPath} element={page} />
    </FlatRoutes>,
    { apis, mountedRoutes, path },
  );
}

/** A plugin's page routes (e.g. `<CostRoutes />`) mounted at `mountPath`, as the app mounts them. */
export function mountedAt(mountPath: string, routes: ReactElement) {
  return (
    <Routes>
      <Route path={`${mountPath}/*`} element={routes} />
    </Routes>
  );
}

/** The answer of a mocked API call that never settles (a view that stays loading). */
export function pending(): Promise<never> {
  return new Promise<never>(() => {});
}

/**
 * How a plugin's client (see BackendClient) fails for a Backstage error answer of its backend:
 * `responseErrorFor({ method: 'GET', url: '/api/cost' })(403, 'NotAllowedError', 'not yours')`
 * is the ResponseError it throws (with the answer's extra headers, e.g. Retry-After).
 */
export function responseErrorFor(request: { method: string; url: string }) {
  return async (
    status: number,
    name: string,
    message: string,
    headers: Record<string, string> = {},
  ): Promise<Error> => {
    const { ResponseError } = await import('@backstage/errors');
    return ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name, message },
          request,
          response: { statusCode: status },
        }),
        {
          status,
          statusText: name,
          headers: { 'Content-Type': 'application/json', ...headers },
        },
      ),
    );
  };
}

export { installResizeObserver } from './jsdom';
