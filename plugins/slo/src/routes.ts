import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The SLO overview page (mounted at /slo in our app). */
export const rootRouteRef = createRouteRef({ id: 'slo' });

/** The weekly SLO review of the current week: /slo/review. */
export const reviewRouteRef = createSubRouteRef({
  id: 'slo/review',
  parent: rootRouteRef,
  path: '/review',
});

/** The weekly SLO review of one week, named by its Monday: /slo/review/2026-11-02. */
export const reviewWeekRouteRef = createSubRouteRef({
  id: 'slo/review-week',
  parent: rootRouteRef,
  path: '/review/:week',
});
