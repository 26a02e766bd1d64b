import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { backendClientFactory } from '@internal/platform-react';
import { sloApiRef, SloClient } from './api/SloApi';
import { SloIcon } from './components/SloIcon/SloIcon';
import { SLO_TAB_PATH } from './components/SloLink/SloLink';
import { rootRouteRef, sloRoutes, sloExternalRoutes } from './routes';

/** api:slo */
const sloApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams(
      backendClientFactory(sloApiRef, options => new SloClient(options)),
    ),
});

/** page:slo at /slo, with the weekly review at /slo/review and /slo/review/:week inside it. */
const sloPage = PageBlueprint.make({
  params: {
    path: '/slo',
    title: 'SLOs',
    icon: <SloIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/SloPage/SloPage').then(m => <m.SloPageContent />),
  },
});

/** entity-content:slo: an "SLOs" tab on Component (service) and System (product) pages. */
const entitySloContent = EntityContentBlueprint.make({
  params: {
    path: `/${SLO_TAB_PATH}`,
    title: 'SLOs',
    filter: { kind: { $in: ['component', 'system'] } },
    loader: () =>
      import('./components/EntitySloContent/EntitySloContent').then(m => (
        <m.EntitySloContent />
      )),
  },
});

/** The SLO plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'slo',
  title: 'SLOs',
  icon: <SloIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: sloRoutes,
  externalRoutes: sloExternalRoutes,
  extensions: [sloApi, sloPage, entitySloContent],
});
