import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { ChargeSummary } from '@internal/cost-common';
import { MutedText, NumberCell, wholeWords } from '@internal/platform-react';
import { formatAmount } from '../../format';

const SPREAD_TEXT = {
  proportional: 'spread over products by direct spend',
  even: 'spread evenly over products',
};

/**
 * Tax, support, credits, refunds, fees and marketplace: lines of their own, in the totals, never
 * "unallocated". Credits and refunds are negative and shown so.
 */
export const ChargeLinesTable = (props: {
  charges: ChargeSummary;
  currency: string;
}) => {
  const { charges, currency } = props;
  if (charges.lines.length === 0)
    return (
      <MutedText>No tax, support, credit or fee lines on the bill.</MutedText>
    );
  return (
    <Table size="small" sx={wholeWords} aria-label="Charges no tag can carry">
      <TableHead>
        <TableRow>
          <TableCell>Charge</TableCell>
          <TableCell>Allocation</TableCell>
          <NumberCell>Last full month</NumberCell>
          <NumberCell>Month to date</NumberCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {charges.lines.map(line => (
          <TableRow key={`${line.recordType}/${line.billingEntity}`}>
            <TableCell>{line.label}</TableCell>
            <TableCell>
              {line.spread
                ? SPREAD_TEXT[line.spread]
                : 'not allocated to products'}
            </TableCell>
            <NumberCell>
              {formatAmount(line.lastFullMonth, currency)}
            </NumberCell>
            <NumberCell>{formatAmount(line.monthToDate, currency)}</NumberCell>
          </TableRow>
        ))}
        <TableRow>
          <TableCell>
            <strong>Net charges</strong>
          </TableCell>
          <TableCell />
          <NumberCell>
            <strong>{formatAmount(charges.lastFullMonth, currency)}</strong>
          </NumberCell>
          <NumberCell>
            <strong>{formatAmount(charges.monthToDate, currency)}</strong>
          </NumberCell>
        </TableRow>
      </TableBody>
    </Table>
  );
};
