import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { drWaivePermission, Waiver } from '@internal/dr-readiness-common';
import { responseStatus, useClock, wholeWords } from '@internal/platform-react';
import { drReadinessApiRef } from '../../api/DrReadinessApi';
import { backendMessage } from '../../api/errors';
import {
  formatDateTime,
  formatDay,
  formatUtc,
  waiverState,
  WaiverState,
} from '../../format';
import { WAIVE_FORBIDDEN } from './WaiverForm';

const STATE_ORDER: Record<WaiverState, number> = {
  requested: 0,
  active: 1,
  expired: 2,
  revoked: 3,
};

const STATE_COLOUR: Record<WaiverState, 'info' | 'warning' | 'default'> = {
  requested: 'warning',
  active: 'info',
  expired: 'default',
  revoked: 'default',
};

/**
 * Requested first (waiting for an approver) and active ones (soonest expiry first), then expired
 * and revoked (newest first).
 */
export function sortWaivers(waivers: Waiver[], now: Date): Waiver[] {
  return [...waivers].sort((a, b) => {
    const sa = waiverState(a, now);
    const sb = waiverState(b, now);
    if (sa !== sb) {
      return STATE_ORDER[sa] - STATE_ORDER[sb];
    }
    return sa === 'active' || sa === 'requested'
      ? a.expiresAt.localeCompare(b.expiresAt)
      : b.createdAt.localeCompare(a.createdAt);
  });
}

/**
 * Every waiver on record for the service, requested, active, expired and revoked: none is ever
 * hidden. Users the policy gives dr.waive on the service see Approve on requested ones (the
 * backend still refuses the requester and the owning team, and says so); active ones can be
 * revoked (after a confirmation).
 */
export const WaiversTable = (props: {
  entityRef: string;
  waivers: Waiver[];
  controlTitle: (controlId: string) => string;
  /** After a waiver was approved or revoked. */
  onChanged: (waiver: Waiver) => void | Promise<void>;
  now?: Date;
}) => {
  const clock = useClock();
  const {
    entityRef,
    waivers,
    controlTitle,
    onChanged,
    now = clock.now(),
  } = props;
  const api = useApi(drReadinessApiRef);
  const [confirming, setConfirming] = useState<Waiver>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [approving, setApproving] = useState<string>();
  const mayApprove = usePermission({
    permission: drWaivePermission,
    resourceRef: entityRef,
  }).allowed;

  const approve = async (waiver: Waiver) => {
    setApproving(waiver.id);
    setProblem(undefined);
    try {
      await onChanged(await api.approveWaiver(entityRef, waiver.id));
    } catch (e) {
      const error = e as Error;
      const message = backendMessage(error);
      setProblem(
        responseStatus(error) === 403
          ? `You may not approve this waiver: ${message || WAIVE_FORBIDDEN}`
          : `Could not approve the waiver: ${message}`,
      );
    } finally {
      setApproving(undefined);
    }
  };

  const revoke = async (waiver: Waiver) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const revoked = await api.revokeWaiver(entityRef, waiver.id);
      setConfirming(undefined);
      await onChanged(revoked);
    } catch (e) {
      const error = e as Error;
      setConfirming(undefined);
      setProblem(
        responseStatus(error) === 403
          ? WAIVE_FORBIDDEN
          : `Could not revoke the waiver: ${backendMessage(error)}`,
      );
    } finally {
      setBusy(false);
    }
  };

  if (waivers.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No waiver has been recorded for this service.
      </Typography>
    );
  }

  return (
    <Stack spacing={1}>
      {problem && (
        <Alert severity="error" role="alert">
          {problem}
        </Alert>
      )}
      <Table size="small" aria-label="Waivers" sx={wholeWords}>
        <TableHead>
          <TableRow>
            <TableCell>Control</TableCell>
            <TableCell>State</TableCell>
            <TableCell>Reason</TableCell>
            <TableCell>Approved by</TableCell>
            <TableCell>Expires</TableCell>
            <TableCell>Requested by</TableCell>
            <TableCell>Revoked</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {sortWaivers(waivers, now).map(waiver => {
            const state = waiverState(waiver, now);
            return (
              <TableRow key={waiver.id}>
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
                      {waiver.approver}
                      {waiver.approvedAt && (
                        <Typography
                          variant="caption"
                          color="text.secondary"
                          component="div"
                        >
                          {formatDateTime(waiver.approvedAt)}
                        </Typography>
                      )}
                    </>
                  ) : (
                    <Typography variant="body2" color="text.secondary">
                      Not approved
                    </Typography>
                  )}
                </TableCell>
                <TableCell title={formatUtc(waiver.expiresAt)}>
                  {formatDay(waiver.expiresAt)}
                </TableCell>
                <TableCell>
                  {waiver.createdBy}
                  <Typography
                    variant="caption"
                    color="text.secondary"
                    component="div"
                  >
                    {formatDateTime(waiver.createdAt)}
                  </Typography>
                </TableCell>
                <TableCell>
                  {waiver.revokedAt ? (
                    <>
                      {waiver.revokedBy ?? '\u2014'}
                      <Typography
                        variant="caption"
                        color="text.secondary"
                        component="div"
                      >
                        {formatDateTime(waiver.revokedAt)}
                      </Typography>
                    </>
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
                      onClick={() => approve(waiver)}
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
                      onClick={() => setConfirming(waiver)}
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
          })}
        </TableBody>
      </Table>
      {confirming && (
        <Dialog
          open
          onClose={() => setConfirming(undefined)}
          aria-labelledby="dr-revoke-title"
        >
          <DialogTitle id="dr-revoke-title">
            Revoke the waiver of {controlTitle(confirming.controlId)}?
          </DialogTitle>
          <DialogContent>
            <DialogContentText>
              The control counts in the score again from now. The waiver stays
              on record as revoked, with your name.
            </DialogContentText>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setConfirming(undefined)}>Cancel</Button>
            <Button
              color="error"
              variant="contained"
              disabled={busy}
              onClick={() => revoke(confirming)}
            >
              Revoke waiver
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </Stack>
  );
};
