import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { DR_TIER_ANNOTATION } from '@internal/dr-readiness-common';
import { drReadinessApiFactory } from './api/DrReadinessApi';
import { rootRouteRef, drRoutes, drExternalRoutes } from './routes';

/** The DR readiness plugin for apps on the legacy frontend system. */
export const drReadinessPlugin = createPlugin({
  id: 'dr-readiness',
  apis: [drReadinessApiFactory],
  routes: drRoutes,
  externalRoutes: drExternalRoutes,
});

/** The scorecard, e.g. `<Route path="/dr-readiness" element={<DrReadinessPage />} />`. */
export const DrReadinessPage = drReadinessPlugin.provide(
  createRoutableExtension({
    name: 'DrReadinessPage',
    component: () => import('./components/DrPage/DrPage').then(m => m.DrPage),
    mountPoint: rootRouteRef,
  }),
);

/** The DR readiness of a Component, for a "DR" tab (show it where `hasDrTier` is true). */
export const EntityDrContent = drReadinessPlugin.provide(
  createComponentExtension({
    name: 'EntityDrContent',
    component: {
      lazy: () =>
        import('./components/EntityDrContent/EntityDrContent').then(
          m => m.EntityDrContent,
        ),
    },
  }),
);

/** True for a Component that names its DR tier, e.g. for `<EntitySwitch.Case if={hasDrTier}>`. */
export function hasDrTier(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    !!entity.metadata.annotations?.[DR_TIER_ANNOTATION]
  );
}
