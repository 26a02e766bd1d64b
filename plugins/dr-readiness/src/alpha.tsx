import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { DR_TIER_ANNOTATION } from '@internal/dr-readiness-common';
import { backendClientFactory } from '@internal/platform-react';
import { drReadinessApiRef, DrReadinessClient } from './api/DrReadinessApi';
import { DrIcon } from './components/DrIcon/DrIcon';
import { DR_TAB_PATH } from './components/DrTabLink/DrTabLink';
import { rootRouteRef, drRoutes, drExternalRoutes } from './routes';

/** api:dr-readiness */
const drReadinessApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams(
      backendClientFactory(
        drReadinessApiRef,
        options => new DrReadinessClient(options),
      ),
    ),
});

/** page:dr-readiness at /dr-readiness (filters in the query string: ?team=&product=&tier=). */
const drReadinessPage = PageBlueprint.make({
  params: {
    path: '/dr-readiness',
    title: 'DR readiness',
    icon: <DrIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/DrPage/DrPage').then(m => <m.DrPageContent />),
  },
});

/** entity-content:dr-readiness: a "DR" tab, at .../dr, on Components that name a DR tier. */
const entityDrContent = EntityContentBlueprint.make({
  params: {
    path: `/${DR_TAB_PATH}`,
    title: 'DR',
    filter: {
      kind: 'component',
      [`metadata.annotations.${DR_TIER_ANNOTATION}`]: { $exists: true },
    },
    loader: () =>
      import('./components/EntityDrContent/EntityDrContent').then(m => (
        <m.EntityDrContent />
      )),
  },
});

/** The DR readiness plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'dr-readiness',
  title: 'DR readiness',
  icon: <DrIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: drRoutes,
  externalRoutes: drExternalRoutes,
  extensions: [drReadinessApi, drReadinessPage, entityDrContent],
});
