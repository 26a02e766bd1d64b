import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { SOURCE_TEMPLATE_ANNOTATION } from '@internal/golden-paths-common';
import { goldenPathsApiFactory } from './api/GoldenPathsApi';
import {
  goldenPathsExternalRoutes,
  goldenPathsRoutes,
  rootRouteRef,
} from './routes';

/** The golden-paths plugin for apps on the legacy frontend system. */
export const goldenPathsPlugin = createPlugin({
  id: 'golden-paths',
  apis: [goldenPathsApiFactory],
  routes: goldenPathsRoutes,
  externalRoutes: goldenPathsExternalRoutes,
});

/**
 * The fleet, the upgrade page and proposals, e.g.
 * `<Route path="/golden-paths" element={<GoldenPathsPage />} />`.
 */
export const GoldenPathsPage = goldenPathsPlugin.provide(
  createRoutableExtension({
    name: 'GoldenPathsPage',
    component: () =>
      import('./components/GoldenPathsPage/GoldenPathsPage').then(
        m => m.GoldenPathsPage,
      ),
    mountPoint: rootRouteRef,
  }),
);

/** The "Golden path" card of a Component (show it where `isGoldenPathService` is true). */
export const EntityGoldenPathCard = goldenPathsPlugin.provide(
  createComponentExtension({
    name: 'EntityGoldenPathCard',
    component: {
      lazy: () =>
        import('./components/EntityGoldenPathCard/EntityGoldenPathCard').then(
          m => m.EntityGoldenPathCard,
        ),
    },
  }),
);

/** True for a Component made from a template, e.g. for `<EntitySwitch.Case if={isGoldenPathService}>`. */
export function isGoldenPathService(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    !!entity.metadata.annotations?.[SOURCE_TEMPLATE_ANNOTATION]
  );
}
