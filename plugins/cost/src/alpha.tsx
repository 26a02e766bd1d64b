import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { backendClientFactory } from '@internal/platform-react';
import { costApiRef, CostClient } from './api/CostApi';
import { CostIcon } from './components/CostIcon/CostIcon';
import { rootRouteRef, costRoutes, costExternalRoutes } from './routes';

/** api:cost */
const costApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams(
      backendClientFactory(costApiRef, options => new CostClient(options)),
    ),
});

/** page:cost at /cost, with /cost/products/:product and /cost/unallocated inside it. */
const costPage = PageBlueprint.make({
  params: {
    path: '/cost',
    title: 'Cost',
    icon: <CostIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/CostPage/CostPage').then(m => <m.CostPageContent />),
  },
});

/** entity-card:cost/system: on System (product) pages. */
const systemCostCard = EntityCardBlueprint.make({
  name: 'system',
  params: {
    filter: { kind: 'system' },
    loader: () =>
      import('./components/EntityCostCard/EntityCostCard').then(m => (
        <m.EntityCostCard />
      )),
  },
});

/** entity-card:cost/component: on Component (service) pages. */
const componentCostCard = EntityCardBlueprint.make({
  name: 'component',
  params: {
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityCostCard/EntityCostCard').then(m => (
        <m.EntityCostCard />
      )),
  },
});

/** entity-content:cost/group: a "Cost" tab on Group (team) pages. */
const groupCostContent = EntityContentBlueprint.make({
  name: 'group',
  params: {
    path: '/cost',
    title: 'Cost',
    filter: { kind: 'group' },
    loader: () =>
      import('./components/GroupCostContent/GroupCostContent').then(m => (
        <m.GroupCostContent />
      )),
  },
});

/** The cost plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'cost',
  title: 'Cost',
  icon: <CostIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: costRoutes,
  externalRoutes: costExternalRoutes,
  extensions: [
    costApi,
    costPage,
    systemCostCard,
    componentCostCard,
    groupCostContent,
  ],
});
