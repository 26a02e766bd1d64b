import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import {
  ControlDefinition,
  ScorecardRow,
  TierView,
} from '@internal/dr-readiness-common';
import { formatDay } from '../../format';
import { DrTabLink } from '../DrTabLink/DrTabLink';
import { CheckStatusChip } from '../StatusChips/StatusChips';
import { formatDateTime, MutedText } from '@internal/platform-react';

const Heading = (props: { children: string }) => (
  <Typography variant="subtitle2" component="h3">
    {props.children}
  </Typography>
);

/**
 * Why a cell of the scorecard shows what it shows: the summary, the fix, the waiver, what the
 * control checks, and a link to the evidence on the service's DR tab.
 */
export const CellDialog = (props: {
  row: ScorecardRow;
  control: ControlDefinition;
  tier?: TierView;
  onClose: () => void;
}) => {
  const { row, control, tier, onClose } = props;
  const cell = row.cells[control.id];
  if (!cell) {
    return null;
  }
  const weight = tier?.controls.find(c => c.id === control.id)?.weight;
  const titleId = `dr-cell-${row.name}-${control.id}`;
  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={titleId}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={titleId}>
        {row.name} {'\u2013'} {control.title}
      </DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <Stack
            direction="row"
            spacing={1}
            alignItems="center"
            flexWrap="wrap"
          >
            <CheckStatusChip status={cell.status} />
            <MutedText>
              {[
                control.area,
                tier?.title,
                weight !== undefined && `weight ${weight}`,
                row.scannedAt && `scanned ${formatDateTime(row.scannedAt)}`,
              ]
                .filter(Boolean)
                .join(' \u00B7 ')}
            </MutedText>
          </Stack>
          <div>
            <Heading>What the scan found</Heading>
            <Typography variant="body2">{cell.summary}</Typography>
          </div>
          {cell.status === 'error' && (
            <Alert severity="warning">
              This is not a failure: the scan could not read what the control
              needs, so the result is unknown until access is fixed and the
              service is scanned again.
            </Alert>
          )}
          {cell.fix && (
            <div>
              <Heading>How to fix</Heading>
              <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
                {cell.fix}
              </Typography>
            </div>
          )}
          {cell.waiver && (
            <Alert severity="info" icon={false}>
              <strong>Waived until {formatDay(cell.waiver.expiresAt)}</strong>{' '}
              (approved by {cell.waiver.approver}): {cell.waiver.reason}. The
              status above is what the scan found; the waiver keeps it out of
              the score.
            </Alert>
          )}
          {control.description && (
            <div>
              <Heading>What the control checks</Heading>
              <Typography variant="body2">{control.description}</Typography>
              {control.references.length > 0 && (
                <Typography variant="caption" color="text.secondary">
                  Equivalent to: {control.references.join(', ')}
                </Typography>
              )}
            </div>
          )}
          <Typography variant="body2">
            <DrTabLink entityRef={row.entityRef} controlId={control.id}>
              {`Evidence on the DR tab of ${row.name}`}
            </DrTabLink>
          </Typography>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
};
