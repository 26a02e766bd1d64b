import { createRouteRef } from '@backstage/core-plugin-api';
import { createEntityPageRouteRef } from '@internal/platform-react';

/** The DR readiness scorecard (mounted at /dr-readiness in our app). */
export const rootRouteRef = createRouteRef({ id: 'dr-readiness' });

/** The catalog's entity pages, for links to a service's DR tab (bound by the app). */
export const entityPageRouteRef = createEntityPageRouteRef('dr-readiness');

/** The plugin's routes, the same in both frontend systems. */
export const drRoutes = { root: rootRouteRef };

/** The routes of the app the plugin links to, the same in both frontend systems. */
export const drExternalRoutes = { entityPage: entityPageRouteRef };
