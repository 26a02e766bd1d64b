import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { SOURCE_TEMPLATE_ANNOTATION } from '@internal/golden-paths-common';
import { backendClientFactory } from '@internal/platform-react';
import { goldenPathsApiRef, GoldenPathsClient } from './api/GoldenPathsApi';
import { GoldenPathsIcon } from './components/GoldenPathsIcon/GoldenPathsIcon';
import {
  goldenPathsExternalRoutes,
  goldenPathsRoutes,
  rootRouteRef,
} from './routes';

/** api:golden-paths */
const goldenPathsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams(
      backendClientFactory(
        goldenPathsApiRef,
        options => new GoldenPathsClient(options),
      ),
    ),
});

/**
 * page:golden-paths at /golden-paths (filters in the query string: ?template=&status=&owner=&q=),
 * with /golden-paths/upgrade?entityRef= and /golden-paths/proposals/:id inside it.
 */
const goldenPathsPage = PageBlueprint.make({
  params: {
    path: '/golden-paths',
    title: 'Golden paths',
    icon: <GoldenPathsIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/GoldenPathsPage/GoldenPathsPage').then(m => (
        <m.GoldenPathsPageContent />
      )),
  },
});

/** entity-card:golden-paths: "Golden path" on Components made from a template. */
const entityGoldenPathCard = EntityCardBlueprint.make({
  params: {
    filter: {
      kind: 'component',
      [`metadata.annotations.${SOURCE_TEMPLATE_ANNOTATION}`]: { $exists: true },
    },
    loader: () =>
      import('./components/EntityGoldenPathCard/EntityGoldenPathCard').then(
        m => <m.EntityGoldenPathCard />,
      ),
  },
});

/** The golden-paths plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'golden-paths',
  title: 'Golden paths',
  icon: <GoldenPathsIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: goldenPathsRoutes,
  externalRoutes: goldenPathsExternalRoutes,
  extensions: [goldenPathsApi, goldenPathsPage, entityGoldenPathCard],
});
