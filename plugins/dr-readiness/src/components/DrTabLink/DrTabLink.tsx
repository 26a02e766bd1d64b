import { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';

/** The path of the DR tab on Component pages (see alpha.tsx). */
export const DR_TAB_PATH = 'dr';

/** The query parameter of the DR tab that opens one control's evidence. */
export const CONTROL_PARAM = 'control';

/**
 * The address of a service's DR tab, e.g. `/catalog/default/component/ledger-writer/dr`,
 * optionally opening one control's evidence; undefined when the app has no entity pages.
 */
export function useDrTabLink():
  | ((entityRef: string, controlId?: string) => string)
  | undefined {
  let entityRoute:
    | ((params: { kind: string; namespace: string; name: string }) => string)
    | undefined;
  try {
    // useRouteRef runs all its own hooks before it throws, so the hook order stays the same.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    entityRoute = useRouteRef(entityRouteRef);
  } catch {
    entityRoute = undefined;
  }
  const resolve = entityRoute;
  return (
    resolve &&
    ((entityRef, controlId) =>
      `${resolve(entityRouteParams(entityRef))}/${DR_TAB_PATH}${
        controlId ? `?${CONTROL_PARAM}=${encodeURIComponent(controlId)}` : ''
      }`)
  );
}

/** A service by its name, linking to its DR tab (plain text when there are no entity pages). */
export const DrTabLink = (props: {
  entityRef: string;
  controlId?: string;
  children: ReactNode;
}) => {
  const { entityRef, controlId, children } = props;
  const tabLink = useDrTabLink();
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
      to={tabLink(entityRef, controlId)}
      fontWeight={500}
    >
      {children}
    </Link>
  );
};
