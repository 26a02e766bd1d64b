import { createRouteRef } from '@backstage/core-plugin-api';

/** The DR readiness scorecard (mounted at /dr-readiness in our app). */
export const rootRouteRef = createRouteRef({ id: 'dr-readiness' });
