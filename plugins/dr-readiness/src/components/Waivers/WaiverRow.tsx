import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { Waiver } from '@internal/dr-readiness-common';
import { formatDateTime, MutedText } from '@internal/platform-react';
import { formatDay, formatUtc, WaiverState } from '../../format';

const STATE_COLOUR: Record<WaiverState, 'info' | 'warning' | 'default'> = {
  requested: 'warning',
  active: 'info',
  expired: 'default',
  revoked: 'default',
};

/** A person and, under it, when they acted. */
const ByWhom = (props: { who?: string; at: string }) => (
  <>
    {props.who}
    <Typography variant="caption" color="text.secondary" component="div">
      {formatDateTime(props.at)}
    </Typography>
  </>
);

/** One waiver: its control, state, reason, who approved and asked for it; Approve or Revoke. */
export const WaiverRow = (props: {
  waiver: Waiver;
  state: WaiverState;
  controlTitle: (controlId: string) => string;
  mayApprove: boolean;
  /** The waiver being approved, if any: the Approve buttons wait meanwhile. */
  approving?: string;
  onApprove: (waiver: Waiver) => void;
  onRevoke: (waiver: Waiver) => void;
}) => {
  const {
    waiver,
    state,
    controlTitle,
    mayApprove,
    approving,
    onApprove,
    onRevoke,
  } = props;
  return (
    <TableRow>
      <TableCell>{controlTitle(waiver.controlId)}</TableCell>
      <TableCell>
        <Chip
          size="small"
          label={state}
          color={STATE_COLOUR[state]}
          variant={state === 'active' ? 'filled' : 'outlined'}
        />
      </TableCell>
      <TableCell>{waiver.reason}</TableCell>
      <TableCell>
        {waiver.status === 'approved' ? (
          <>
            {waiver.approvedAt ? (
              <ByWhom who={waiver.approver} at={waiver.approvedAt} />
            ) : (
              waiver.approver
            )}
          </>
        ) : (
          <MutedText>Not approved</MutedText>
        )}
      </TableCell>
      <TableCell title={formatUtc(waiver.expiresAt)}>
        {formatDay(waiver.expiresAt)}
      </TableCell>
      <TableCell>
        <ByWhom who={waiver.createdBy} at={waiver.createdAt} />
      </TableCell>
      <TableCell>
        {waiver.revokedAt ? (
          <ByWhom who={waiver.revokedBy ?? '\u2014'} at={waiver.revokedAt} />
        ) : (
          '\u2014'
        )}
      </TableCell>
      <TableCell align="right">
        {state === 'requested' && mayApprove && (
          <Button
            size="small"
            variant="outlined"
            disabled={approving !== undefined}
            onClick={() => onApprove(waiver)}
            aria-label={`Approve the waiver of ${controlTitle(
              waiver.controlId,
            )}`}
          >
            {approving === waiver.id ? 'Approving\u2026' : 'Approve'}
          </Button>
        )}
        {state === 'active' && (
          <Button
            size="small"
            color="error"
            onClick={() => onRevoke(waiver)}
            aria-label={`Revoke the waiver of ${controlTitle(
              waiver.controlId,
            )}`}
          >
            Revoke
          </Button>
        )}
      </TableCell>
    </TableRow>
  );
};

/** Asks before a waiver is revoked: the control counts in the score again. */
export const RevokeDialog = (props: {
  waiver: Waiver;
  controlTitle: (controlId: string) => string;
  busy: boolean;
  onCancel: () => void;
  onRevoke: (waiver: Waiver) => void;
}) => {
  const { waiver: confirming, controlTitle, busy } = props;
  return (
    <Dialog open onClose={props.onCancel} aria-labelledby="dr-revoke-title">
      <DialogTitle id="dr-revoke-title">
        Revoke the waiver of {controlTitle(confirming.controlId)}?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          The control counts in the score again from now. The waiver stays on
          record as revoked, with your name.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button
          color="error"
          variant="contained"
          disabled={busy}
          onClick={() => props.onRevoke(confirming)}
        >
          Revoke waiver
        </Button>
      </DialogActions>
    </Dialog>
  );
};
