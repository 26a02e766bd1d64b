import { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import {
  createExternalRouteRef,
  ExternalRouteRef,
  useRouteRef,
} from '@backstage/core-plugin-api';
import { entityRouteParams } from '@backstage/plugin-catalog-react';

/** The catalog's entity page, as a plugin links to it: by namespace, kind and name. */
export type EntityPageRouteRef = ExternalRouteRef<
  { namespace: string; kind: string; name: string },
  true
>;

/**
 * A plugin's link to the catalog's entity pages (for its tabs there). Optional: where the app
 * binds no entity page, links are plain text. The new frontend system binds it to the catalog
 * plugin's entity page by default; a legacy app binds it in `bindRoutes`, e.g.
 * `bind(drReadinessPlugin.externalRoutes, { entityPage: catalogPlugin.routes.catalogEntity })`.
 */
export function createEntityPageRouteRef(pluginId: string): EntityPageRouteRef {
  return createExternalRouteRef({
    id: `${pluginId}/entity-page`,
    params: ['namespace', 'kind', 'name'],
    optional: true,
    defaultTarget: 'catalog.catalogEntity',
  });
}

/** Query parameters of a tab's address; undefined values are left out. */
export type TabQuery = Record<string, string | undefined>;

function search(query: TabQuery = {}): string {
  const pairs = Object.entries(query).flatMap(([key, value]) =>
    value === undefined
      ? []
      : [`${encodeURIComponent(key)}=${encodeURIComponent(value)}`],
  );
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

/**
 * The address of an entity's tab, e.g. `/catalog/default/component/ledger-writer/dr`, or
 * undefined when the app binds no entity page.
 */
export function useEntityTabLink(
  entityPage: EntityPageRouteRef,
  tabPath: string,
): ((entityRef: string, query?: TabQuery) => string) | undefined {
  const entityRoute = useRouteRef(entityPage);
  return (
    entityRoute &&
    ((entityRef, query) =>
      `${entityRoute(entityRouteParams(entityRef))}/${tabPath}${search(query)}`)
  );
}

/** A link to an entity's tab (plain text when the app has no entity pages). */
export const EntityTabLink = (props: {
  entityPage: EntityPageRouteRef;
  /** The tab's path below the entity page, e.g. `dr`. */
  tabPath: string;
  entityRef: string;
  query?: TabQuery;
  children: ReactNode;
}) => {
  const { entityPage, tabPath, entityRef, query, children } = props;
  const tabLink = useEntityTabLink(entityPage, tabPath);
  if (!tabLink) {
    return (
      <Typography component="span" variant="inherit" fontWeight={500}>
        {children}
      </Typography>
    );
  }
  return (
    <Link
      component={RouterLink}
      to={tabLink(entityRef, query)}
      fontWeight={500}
    >
      {children}
    </Link>
  );
};
