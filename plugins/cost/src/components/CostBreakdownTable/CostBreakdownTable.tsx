import { ReactNode, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { CostBreakdownLine } from '@internal/cost-common';
import { formatAmount, formatPercent, inSentence } from '../../format';
import { NumberCell, wholeWords, MutedText } from '@internal/platform-react';

/** A line's name: its label (a catalog title) when known, else the tag value. */
export function breakdownLabel(
  line: CostBreakdownLine,
  missingLabel: string,
): string {
  if (!line.key) {
    return missingLabel;
  }
  return line.label ?? line.key;
}

/**
 * Cost split by one dimension (service, team, environment, AWS service, account, product),
 * largest first, with each line's share of the last full month.
 */
export const CostBreakdownTable = (props: {
  lines: CostBreakdownLine[];
  currency: string;
  /** Column title and the table's name: "Service", "AWS service". */
  keyLabel: string;
  /** For the line without the tag, e.g. "(no service tag)". */
  missingLabel: string;
  /** Lines shown before "Show all". */
  limit?: number;
  /** A link inside the Cost page (e.g. a team's products to their product view). */
  linkTo?: (line: CostBreakdownLine) => string | undefined;
  /** The line's catalog entity, when known: shown by its catalog title, linking to its page. */
  entityRefOf?: (line: CostBreakdownLine) => string | undefined;
}) => {
  const {
    lines,
    currency,
    keyLabel,
    missingLabel,
    limit = 10,
    linkTo,
    entityRefOf,
  } = props;
  const [showAll, setShowAll] = useState(false);
  if (lines.length === 0) {
    return (
      <MutedText>No cost recorded by {inSentence(keyLabel)} yet.</MutedText>
    );
  }
  const sorted = [...lines].sort((a, b) => b.lastFullMonth - a.lastFullMonth);
  const total = sorted.reduce((sum, line) => sum + line.lastFullMonth, 0);
  const shown = showAll ? sorted : sorted.slice(0, limit);

  return (
    <>
      <Table
        size="small"
        sx={wholeWords}
        aria-label={`Cost by ${inSentence(keyLabel)}`}
      >
        <TableHead>
          <TableRow>
            <TableCell>{keyLabel}</TableCell>
            <NumberCell>Last full month</NumberCell>
            <NumberCell>Share</NumberCell>
            <NumberCell>Month to date</NumberCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(line => {
            const label = breakdownLabel(line, missingLabel);
            const href = linkTo?.(line);
            const entityRef = line.key ? entityRefOf?.(line) : undefined;
            let name: ReactNode = label;
            if (!line.key) {
              name = <em>{label}</em>;
            } else if (entityRef) {
              name = <EntityRefLink entityRef={entityRef} title={line.label} />;
            } else if (href) {
              name = (
                <Link component={RouterLink} to={href}>
                  {label}
                </Link>
              );
            }
            return (
              <TableRow key={line.key}>
                <TableCell
                  title={line.key && line.label ? line.key : undefined}
                >
                  {name}
                </TableCell>
                <NumberCell>
                  {formatAmount(line.lastFullMonth, currency)}
                </NumberCell>
                <NumberCell>
                  {total > 0
                    ? formatPercent((100 * line.lastFullMonth) / total)
                    : '\u2014'}
                </NumberCell>
                <NumberCell>
                  {formatAmount(line.monthToDate, currency)}
                </NumberCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {sorted.length > limit && (
        <Button
          size="small"
          onClick={() => setShowAll(!showAll)}
          sx={{ mt: 1 }}
        >
          {showAll ? 'Show fewer' : `Show all ${sorted.length}`}
        </Button>
      )}
    </>
  );
};
