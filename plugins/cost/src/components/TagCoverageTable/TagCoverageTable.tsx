import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { TagCoverage } from '@internal/cost-common';
import { formatAmount, formatPercent, inSentence } from '../../format';
import { NumberCell, wholeWords, MutedText } from '@internal/platform-react';

export interface TagCoverageRow extends TagCoverage {
  /** The tag value; `` = spend without that tag. */
  key: string;
  entityRef?: string;
}

/** Below this share of tagged spend a row is shown as needing work. */
const WELL_TAGGED_PERCENT = 95;

/**
 * Tag coverage per team or per service, worst first: the share of spend that carries every
 * required tag, in dollars.
 */
export const TagCoverageTable = (props: {
  rows: TagCoverageRow[];
  currency: string;
  /** Column title and table name: "Team", "Service". */
  keyLabel: string;
  /** Shown for the `` key, e.g. "(no team tag)". */
  missingLabel: string;
}) => {
  const { rows, currency, keyLabel, missingLabel } = props;
  if (rows.length === 0) {
    return <MutedText>No spend to measure tag coverage on yet.</MutedText>;
  }
  const sorted = [...rows].sort((a, b) => a.coveredPercent - b.coveredPercent);
  return (
    <Table
      size="small"
      sx={wholeWords}
      aria-label={`Tag coverage by ${inSentence(keyLabel)}`}
    >
      <TableHead>
        <TableRow>
          <TableCell>{keyLabel}</TableCell>
          <TableCell sx={{ minWidth: 160 }}>Spend fully tagged</TableCell>
          <NumberCell>Tagged</NumberCell>
          <NumberCell>Total</NumberCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {sorted.map(row => (
          <TableRow key={row.key}>
            <TableCell>
              {row.entityRef ? (
                <EntityRefLink entityRef={row.entityRef} />
              ) : (
                row.key || <em>{missingLabel}</em>
              )}
            </TableCell>
            <TableCell>
              <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                <LinearProgress
                  variant="determinate"
                  value={Math.min(100, Math.max(0, row.coveredPercent))}
                  color={
                    row.coveredPercent >= WELL_TAGGED_PERCENT
                      ? 'success'
                      : 'warning'
                  }
                  sx={{ flexGrow: 1, height: 6, borderRadius: 3 }}
                  aria-hidden="true"
                />
                <Typography
                  variant="body2"
                  sx={{ minWidth: 48, textAlign: 'right' }}
                >
                  {formatPercent(row.coveredPercent)}
                </Typography>
              </Box>
            </TableCell>
            <NumberCell>{formatAmount(row.coveredAmount, currency)}</NumberCell>
            <NumberCell>{formatAmount(row.totalAmount, currency)}</NumberCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
