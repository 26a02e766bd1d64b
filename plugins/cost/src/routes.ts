import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';
import { subRouteRefs } from '@internal/platform-react';

/** The Cost page (mounted at /cost in our app). */
export const rootRouteRef = createRouteRef({ id: 'cost' });
const view = subRouteRefs(rootRouteRef);

/** One product's cost, e.g. /cost/products/ledger. */
export const productRouteRef = view('cost/product', '/products/:product');

/** Spend missing a required tag, with the drill-down by account and AWS service. */
export const unallocatedRouteRef = view('cost/unallocated', '/unallocated');

/**
 * One product's cost as the entity cards link to it: the cards can be installed without the
 * Cost page, so the link is optional. The new frontend system binds it to the product view by
 * default; a legacy app binds it in `bindRoutes`, e.g.
 * `bind(costPlugin.externalRoutes, { productPage: costPlugin.routes.product })`.
 */
export const productPageRouteRef = createExternalRouteRef({
  id: 'cost/product-page',
  params: ['product'],
  optional: true,
  defaultTarget: 'cost.product',
});

/** The plugin's routes, the same in both frontend systems. */
export const costRoutes = {
  root: rootRouteRef,
  product: productRouteRef,
  unallocated: unallocatedRouteRef,
};

/** The routes of the app the plugin links to, the same in both frontend systems. */
export const costExternalRoutes = { productPage: productPageRouteRef };
