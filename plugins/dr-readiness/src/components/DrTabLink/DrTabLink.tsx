import { ReactNode } from 'react';
import { EntityTabLink } from '@internal/platform-react';
import { entityPageRouteRef } from '../../routes';

/** The path of the DR tab on Component pages (see alpha.tsx). */
export const DR_TAB_PATH = 'dr';

/** The query parameter of the DR tab that opens one control's evidence. */
export const CONTROL_PARAM = 'control';

/**
 * A service by its name, linking to its DR tab, e.g. `/catalog/default/component/ledger-writer/dr`,
 * optionally opening one control's evidence (plain text when the app binds no entity pages).
 */
export const DrTabLink = (props: {
  entityRef: string;
  controlId?: string;
  children: ReactNode;
}) => (
  <EntityTabLink
    entityPage={entityPageRouteRef}
    tabPath={DR_TAB_PATH}
    entityRef={props.entityRef}
    query={{ [CONTROL_PARAM]: props.controlId || undefined }}
  >
    {props.children}
  </EntityTabLink>
);
