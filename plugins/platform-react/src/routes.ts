import {
  AnyParams,
  createSubRouteRef,
  MakeSubRouteRef,
  PathParams,
  RouteRef,
} from '@backstage/core-plugin-api';

/**
 * Makes the views of a plugin page as sub route refs of its `parent`, one call a view:
 * `const view = subRouteRefs(rootRouteRef); const productRouteRef = view('cost/product',
 * '/products/:product');` (the path's parameters become the ref's).
 */
export function subRouteRefs<ParentParams extends AnyParams>(
  parent: RouteRef<ParentParams>,
) {
  return <Path extends string>(
    id: string,
    path: Path,
  ): MakeSubRouteRef<PathParams<Path>, ParentParams> =>
    createSubRouteRef({ id, parent, path });
}
