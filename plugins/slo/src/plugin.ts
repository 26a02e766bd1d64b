import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { sloApiFactory } from './api/SloApi';
import { rootRouteRef, sloRoutes, sloExternalRoutes } from './routes';

/** The SLO plugin for apps on the legacy frontend system. */
export const sloPlugin = createPlugin({
  id: 'slo',
  apis: [sloApiFactory],
  routes: sloRoutes,
  externalRoutes: sloExternalRoutes,
});

/** The SLOs page with the weekly review, e.g. `<Route path="/slo" element={<SloPage />} />`. */
export const SloPage = sloPlugin.provide(
  createRoutableExtension({
    name: 'SloPage',
    component: () =>
      import('./components/SloPage/SloPage').then(m => m.SloPage),
    mountPoint: rootRouteRef,
  }),
);

/** SLOs of a Component (service) or System (product), for an "SLOs" tab on their pages. */
export const EntitySloContent = sloPlugin.provide(
  createComponentExtension({
    name: 'EntitySloContent',
    component: {
      lazy: () =>
        import('./components/EntitySloContent/EntitySloContent').then(
          m => m.EntitySloContent,
        ),
    },
  }),
);
