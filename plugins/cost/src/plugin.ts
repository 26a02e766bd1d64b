import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { costApiFactory } from './api/CostApi';
import { rootRouteRef, costRoutes, costExternalRoutes } from './routes';

/** The cost plugin for apps on the legacy frontend system. */
export const costPlugin = createPlugin({
  id: 'cost',
  apis: [costApiFactory],
  routes: costRoutes,
  externalRoutes: costExternalRoutes,
});

/** The Cost page, e.g. `<Route path="/cost" element={<CostPage />} />`. */
export const CostPage = costPlugin.provide(
  createRoutableExtension({
    name: 'CostPage',
    component: () =>
      import('./components/CostPage/CostPage').then(m => m.CostPage),
    mountPoint: rootRouteRef,
  }),
);

/** Cost card for System (product) and Component (service) entity pages. */
export const EntityCostCard = costPlugin.provide(
  createComponentExtension({
    name: 'EntityCostCard',
    component: {
      lazy: () =>
        import('./components/EntityCostCard/EntityCostCard').then(
          m => m.EntityCostCard,
        ),
    },
  }),
);

/** Cost of a team's products, for a "Cost" tab on Group entity pages. */
export const EntityGroupCostContent = costPlugin.provide(
  createComponentExtension({
    name: 'EntityGroupCostContent',
    component: {
      lazy: () =>
        import('./components/GroupCostContent/GroupCostContent').then(
          m => m.GroupCostContent,
        ),
    },
  }),
);
