import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { SloStatus } from '@internal/slo-common';
import { formatBurnRate } from '../../format';
import { NumberCell, MutedText } from '@internal/platform-react';

/** The burn rate over each alert window; the worst long window stands out. */
export const BurnRateTable = (props: {
  burn: SloStatus['burn'];
  /** Names the table for screen readers. */
  label: string;
}) => {
  const { burn, label } = props;
  if (burn.rates.length === 0) {
    return <MutedText>No burn rates measured yet.</MutedText>;
  }
  return (
    <>
      <Table size="small" aria-label={label}>
        <TableHead>
          <TableRow>
            <TableCell>Window</TableCell>
            <NumberCell>Burn rate</NumberCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {burn.rates.map(({ window, rate }) => {
            const worst = burn.worst?.window === window;
            return (
              <TableRow
                key={window}
                sx={worst ? { '& td': { fontWeight: 600 } } : undefined}
              >
                <TableCell>
                  {window}
                  {worst && (
                    <Typography
                      component="span"
                      variant="caption"
                      color="text.secondary"
                    >
                      {' '}
                      (worst)
                    </Typography>
                  )}
                </TableCell>
                <NumberCell>
                  {rate === null ? (
                    <Typography
                      component="span"
                      variant="body2"
                      color="text.secondary"
                    >
                      no data
                    </Typography>
                  ) : (
                    formatBurnRate(rate)
                  )}
                </NumberCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Typography variant="caption" color="text.secondary" component="p">
        1&times; spends the budget exactly over the SLO window; 14.4&times; over
        the short windows pages.
      </Typography>
    </>
  );
};
