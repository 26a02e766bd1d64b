import { Link as RouterLink } from 'react-router-dom';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { SloIdentity } from '@internal/slo-common';
import { sloLabel } from '../../format';

/** The path of the SLO tab on the entity pages (see alpha.tsx). */
export const SLO_TAB_PATH = 'slo';

/**
 * The address of an entity's SLO tab, e.g. `/catalog/default/component/ledger-writer/slo`, or
 * undefined when the app has no catalog entity pages.
 */
export function useSloTabLink(): ((entityRef: string) => string) | undefined {
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
    (entityRef => `${resolve(entityRouteParams(entityRef))}/${SLO_TAB_PATH}`)
  );
}

/** An SLO by its name, linking to the SLO tab of its service. */
export const SloLink = (props: {
  slo: Pick<SloIdentity, 'name' | 'displayName' | 'entityRef'>;
}) => {
  const { slo } = props;
  const tabLink = useSloTabLink();
  if (!tabLink) {
    return (
      <Typography component="span" variant="inherit" fontWeight={500}>
        {sloLabel(slo)}
      </Typography>
    );
  }
  return (
    <Link component={RouterLink} to={tabLink(slo.entityRef)} fontWeight={500}>
      {sloLabel(slo)}
    </Link>
  );
};
