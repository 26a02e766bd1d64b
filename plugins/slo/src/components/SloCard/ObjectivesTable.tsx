import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { SloStatus } from '@internal/slo-common';
import { NumberCell } from '@internal/platform-react';
import { formatBurnRate, formatTarget } from '../../format';
import { BudgetBar } from '../BudgetBar/BudgetBar';
import { BurnStatusChip } from '../BurnStatusChip/BurnStatusChip';
import { Attainment } from './Attainment';

/** An objective's name: its displayName, or its target. */
export const objectiveLabel = (o: { displayName?: string; target: number }) =>
  o.displayName ?? `${formatTarget(o.target)} objective`;

/**
 * Every objective of an SLO with several: target, attainment, budget left and burn. Each is
 * judged on its own; the card's figures above are the worst one's.
 */
export const ObjectivesTable = (props: {
  objectives: NonNullable<SloStatus['objectives']>;
  /** Names the table for screen readers. */
  label: string;
}) => {
  const { objectives, label } = props;
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>Objective</TableCell>
          <NumberCell>Target</NumberCell>
          <NumberCell>Attainment</NumberCell>
          <TableCell>Budget remaining</TableCell>
          <TableCell>Burn</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {objectives.map(o => (
          <TableRow key={`${o.target}-${o.displayName ?? ''}`}>
            <TableCell>{objectiveLabel(o)}</TableCell>
            <NumberCell>
              {formatTarget(o.target)}
              {o.timeSliceTarget !== undefined && (
                <Typography
                  component="div"
                  variant="caption"
                  color="text.secondary"
                >
                  slice good at {formatTarget(o.timeSliceTarget)}
                </Typography>
              )}
            </NumberCell>
            <NumberCell>
              <Attainment slo={o} />
            </NumberCell>
            <TableCell>
              <BudgetBar
                remaining={o.hasData ? o.budget?.remaining : undefined}
                exhausted={o.budget?.exhausted}
                width={120}
              />
            </TableCell>
            <TableCell>
              <BurnStatusChip
                status={o.burn.status}
                message={o.message ?? o.burn.message}
              />
              {o.burn.worst && (
                <Typography
                  component="div"
                  variant="caption"
                  color="text.secondary"
                >
                  {formatBurnRate(o.burn.worst.rate)} over {o.burn.worst.window}
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
