import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The Cost page (mounted at /cost in our app). */
export const rootRouteRef = createRouteRef({ id: 'cost' });

/** One product's cost, e.g. /cost/products/ledger. */
export const productRouteRef = createSubRouteRef({
  id: 'cost/product',
  parent: rootRouteRef,
  path: '/products/:product',
});

/** Spend missing a required tag, with the drill-down by account and AWS service. */
export const unallocatedRouteRef = createSubRouteRef({
  id: 'cost/unallocated',
  parent: rootRouteRef,
  path: '/unallocated',
});
