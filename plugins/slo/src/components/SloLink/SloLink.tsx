import { EntityTabLink } from '@internal/platform-react';
import { SloIdentity } from '@internal/slo-common';
import { sloLabel } from '../../format';
import { entityPageRouteRef } from '../../routes';

/** The path of the SLO tab on the entity pages (see alpha.tsx). */
export const SLO_TAB_PATH = 'slo';

/**
 * An SLO by its name, linking to the SLO tab of its service, e.g.
 * `/catalog/default/component/ledger-writer/slo` (plain text when the app binds no entity pages).
 */
export const SloLink = (props: {
  slo: Pick<SloIdentity, 'name' | 'displayName' | 'entityRef'>;
}) => (
  <EntityTabLink
    entityPage={entityPageRouteRef}
    tabPath={SLO_TAB_PATH}
    entityRef={props.slo.entityRef}
  >
    {sloLabel(props.slo)}
  </EntityTabLink>
);
