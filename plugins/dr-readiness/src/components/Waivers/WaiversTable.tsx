import Alert from '@mui/material/Alert';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { usePermission } from '@backstage/plugin-permission-react';
import { drWaivePermission, Waiver } from '@internal/dr-readiness-common';
import { useClock, wholeWords, MutedText } from '@internal/platform-react';
import { waiverState, WaiverState } from '../../format';
import { RevokeDialog, WaiverRow } from './WaiverRow';
import { useWaiverActions } from './useWaiverActions';

const STATE_ORDER: Record<WaiverState, number> = {
  requested: 0,
  active: 1,
  expired: 2,
  revoked: 3,
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
  const actions = useWaiverActions(entityRef, onChanged);
  const mayApprove = usePermission({
    permission: drWaivePermission,
    resourceRef: entityRef,
  }).allowed;

  if (waivers.length === 0) {
    return <MutedText>No waiver has been recorded for this service.</MutedText>;
  }

  return (
    <Stack spacing={1}>
      {actions.problem && (
        <Alert severity="error" role="alert">
          {actions.problem}
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
          {sortWaivers(waivers, now).map(waiver => (
            <WaiverRow
              key={waiver.id}
              waiver={waiver}
              state={waiverState(waiver, now)}
              controlTitle={controlTitle}
              mayApprove={mayApprove}
              approving={actions.approving}
              onApprove={actions.approve}
              onRevoke={actions.setConfirming}
            />
          ))}
        </TableBody>
      </Table>
      {actions.confirming && (
        <RevokeDialog
          waiver={actions.confirming}
          controlTitle={controlTitle}
          busy={actions.busy}
          onCancel={() => actions.setConfirming(undefined)}
          onRevoke={actions.revoke}
        />
      )}
    </Stack>
  );
};
