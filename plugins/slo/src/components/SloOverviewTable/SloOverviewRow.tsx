import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { SloStatus } from '@internal/slo-common';
import {
  formatAge,
  NumberCell,
  OptionalEntityRefLink,
} from '@internal/platform-react';
import { formatTarget } from '../../format';
import { BudgetBar } from '../BudgetBar/BudgetBar';
import { BurnStatusChip } from '../BurnStatusChip/BurnStatusChip';
import { Attainment } from '../SloCard/SloCard';
import { SloLink } from '../SloLink/SloLink';
import { budgetOf } from './sortSlos';

/** One SLO's line: where it belongs, how it does, how its budget burns and when it was read. */
export const SloOverviewRow = (props: { slo: SloStatus; now: Date }) => {
  const { slo, now } = props;
  return (
    <TableRow hover>
      <TableCell>
        <SloLink slo={slo} />
      </TableCell>
      <TableCell>
        <EntityRefLink entityRef={slo.entityRef} />
      </TableCell>
      <TableCell>
        <OptionalEntityRefLink entity={slo.product} kind="system" />
      </TableCell>
      <TableCell>
        <OptionalEntityRefLink entity={slo.team} kind="group" />
      </TableCell>
      <NumberCell>
        {formatTarget(slo.target)}
        {(slo.objectives?.length ?? 0) > 1 && (
          // The row shows the worst objective; the card shows each.
          <Typography
            variant="caption"
            color="text.secondary"
            component="div"
            title={slo.objectives!.map(o => formatTarget(o.target)).join(', ')}
          >
            worst of {slo.objectives!.length} objectives
          </Typography>
        )}
      </NumberCell>
      <NumberCell>
        <Attainment slo={slo} />
      </NumberCell>
      <TableCell>
        <BudgetBar
          remaining={budgetOf(slo)}
          exhausted={slo.budget?.exhausted}
          width={130}
        />
      </TableCell>
      <TableCell>
        <BurnStatusChip
          status={slo.burn.status}
          message={slo.message ?? slo.burn.message}
        />
        {slo.burn.status === 'no-data' && (
          // Why there is no data is what the reader needs, not only on hover.
          <Typography
            variant="caption"
            color="text.secondary"
            component="div"
            sx={{ mt: 0.5, maxWidth: 240 }}
          >
            {slo.message ?? slo.burn.message}
          </Typography>
        )}
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        <Typography
          variant="body2"
          color="text.secondary"
          title={slo.evaluatedAt}
        >
          {formatAge(slo.evaluatedAt, now)}
        </Typography>
      </TableCell>
    </TableRow>
  );
};
