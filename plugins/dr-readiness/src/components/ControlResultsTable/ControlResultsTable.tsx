import { Fragment, useEffect, useRef, useState } from 'react';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Collapse from '@mui/material/Collapse';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { ControlResultView } from '@internal/dr-readiness-common';
import { NumberCell, wholeWords, MutedText } from '@internal/platform-react';
import { CHECK_STATUS, formatDay } from '../../format';
import { CheckStatusChip } from '../StatusChips/StatusChips';
import { EvidenceDetail } from './EvidenceDetail';

/** Fails first, then unknowns, passes and n/a; within a status the heaviest first. */
export function sortResults(results: ControlResultView[]): ControlResultView[] {
  return [...results].sort(
    (a, b) =>
      CHECK_STATUS[b.status].severity - CHECK_STATUS[a.status].severity ||
      b.weight - a.weight ||
      a.title.localeCompare(b.title),
  );
}

const WaiverNote = (props: { result: ControlResultView }) => {
  const { waiver } = props.result;
  if (!waiver) {
    return <MutedText>{'\u2014'}</MutedText>;
  }
  return (
    <Stack spacing={0.25}>
      <Typography variant="body2" fontWeight={500}>
        Waived until {formatDay(waiver.expiresAt)}
      </Typography>
      <Typography variant="body2">{waiver.reason}</Typography>
      <Typography variant="caption" color="text.secondary">
        approved by {waiver.approver}
      </Typography>
    </Stack>
  );
};

const COLUMNS = 7;

/**
 * Each control the tier requires: status, what was found, the fix, its weight and any waiver;
 * a row opens its evidence. `open` names a control to open first (a link from the scorecard).
 */
export const ControlResultsTable = (props: {
  results: ControlResultView[];
  open?: string;
}) => {
  const { results, open } = props;
  const [expanded, setExpanded] = useState<Set<string>>(
    () => new Set(open ? [open] : []),
  );
  const openRow = useRef<HTMLTableRowElement>(null);

  useEffect(() => {
    // Bring a control opened from a scorecard link into view (jsdom has no scrollIntoView).
    openRow.current?.scrollIntoView?.({ block: 'center' });
  }, []);

  const toggle = (controlId: string) =>
    setExpanded(current => {
      const next = new Set(current);
      if (next.has(controlId)) {
        next.delete(controlId);
      } else {
        next.add(controlId);
      }
      return next;
    });

  return (
    <TableContainer>
      <Table size="small" aria-label="Controls" sx={wholeWords}>
        <TableHead>
          <TableRow>
            <TableCell>Status</TableCell>
            <TableCell>Control</TableCell>
            <TableCell>What the scan found</TableCell>
            <TableCell>Fix</TableCell>
            <NumberCell>Weight</NumberCell>
            <TableCell>Waiver</TableCell>
            <TableCell>Evidence</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {sortResults(results).map(result => {
            const isOpen = expanded.has(result.controlId);
            const detailId = `dr-evidence-${result.controlId}`;
            return (
              <Fragment key={result.controlId}>
                <TableRow
                  ref={result.controlId === open ? openRow : undefined}
                  sx={{
                    '& > td': { borderBottom: isOpen ? 'none' : undefined },
                  }}
                >
                  <TableCell>
                    <Stack spacing={0.5} alignItems="flex-start">
                      <CheckStatusChip status={result.status} />
                      {result.waiver && (
                        <Chip
                          size="small"
                          variant="outlined"
                          color="info"
                          label="waived"
                        />
                      )}
                    </Stack>
                  </TableCell>
                  <TableCell>
                    <Typography variant="body2" fontWeight={500}>
                      {result.title}
                    </Typography>
                    <Typography variant="caption" color="text.secondary">
                      {result.area}
                    </Typography>
                  </TableCell>
                  <TableCell>{result.summary}</TableCell>
                  <TableCell sx={{ whiteSpace: 'pre-wrap' }}>
                    {result.fix ?? '\u2014'}
                  </TableCell>
                  <NumberCell>{result.weight}</NumberCell>
                  <TableCell>
                    <WaiverNote result={result} />
                  </TableCell>
                  <TableCell>
                    <Button
                      size="small"
                      aria-expanded={isOpen}
                      aria-controls={detailId}
                      aria-label={`${isOpen ? 'Hide' : 'Show'} evidence for ${
                        result.title
                      }`}
                      onClick={() => toggle(result.controlId)}
                    >
                      {isOpen ? 'Hide' : 'Show'}
                    </Button>
                  </TableCell>
                </TableRow>
                <TableRow>
                  <TableCell
                    colSpan={COLUMNS}
                    sx={{ py: 0, borderBottom: isOpen ? undefined : 'none' }}
                    id={detailId}
                  >
                    <Collapse in={isOpen} unmountOnExit>
                      <EvidenceDetail result={result} />
                    </Collapse>
                  </TableCell>
                </TableRow>
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
};
