import { ReactNode } from 'react';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { asEntityRef } from './format';

/** An entity (a ref or a name, of `kind` when a name) as a catalog link; a dash without one. */
export const OptionalEntityRefLink = (props: {
  entity?: string;
  kind: string;
}) =>
  props.entity ? (
    <EntityRefLink entityRef={asEntityRef(props.entity, props.kind)} />
  ) : (
    <>{'\u2014'}</>
  );

/** The one row of a table that shows nothing, saying why (no data, nothing matches). */
export const EmptyTableRow = (props: {
  columns: number;
  children: ReactNode;
}) => (
  <TableRow>
    <TableCell colSpan={props.columns}>
      <Typography variant="body2" color="text.secondary" sx={{ py: 2 }}>
        {props.children}
      </Typography>
    </TableCell>
  </TableRow>
);
