import { createRouteRef } from '@backstage/core-plugin-api';
import {
  createEntityPageRouteRef,
  subRouteRefs,
} from '@internal/platform-react';

/** The SLO overview page (mounted at /slo in our app). */
export const rootRouteRef = createRouteRef({ id: 'slo' });
const view = subRouteRefs(rootRouteRef);

/** The weekly SLO review of the current week: /slo/review. */
export const reviewRouteRef = view('slo/review', '/review');

/** The weekly SLO review of one week, named by its Monday: /slo/review/2026-11-02. */
export const reviewWeekRouteRef = view('slo/review-week', '/review/:week');

/** Approving a deploy the error-budget policy holds: /slo/approve?componentRef=...&deployId=... */
export const approveRouteRef = view('slo/approve', '/approve');

/** The catalog's entity pages, for links to a service's SLO tab (bound by the app). */
export const entityPageRouteRef = createEntityPageRouteRef('slo');

/** The plugin's routes, the same in both frontend systems. */
export const sloRoutes = {
  root: rootRouteRef,
  review: reviewRouteRef,
  reviewWeek: reviewWeekRouteRef,
  approve: approveRouteRef,
};

/** The routes of the app the plugin links to, the same in both frontend systems. */
export const sloExternalRoutes = { entityPage: entityPageRouteRef };
