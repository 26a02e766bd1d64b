import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import Chip from '@mui/material/Chip';
import { formatDateTime, MutedText } from '@internal/platform-react';
import type { DeployApproval } from '@internal/slo-common';

/** Approvals and exceptions of deploys: who, when, which deploy, why. */
export const ApprovalList = (props: {
  approvals: DeployApproval[];
  /** Name the component of each (the weekly review lists every service's). */
  showComponent?: boolean;
}) => {
  const { approvals, showComponent } = props;
  if (approvals.length === 0)
    return <MutedText>No deploy approvals or exceptions recorded.</MutedText>;
  return (
    <Stack component="ul" spacing={1} sx={{ m: 0, pl: 2 }}>
      {approvals.map(approval => (
        <li key={approval.id}>
          <Stack direction="row" spacing={1} alignItems="center">
            <Chip
              size="small"
              label={approval.kind === 'exception' ? 'Exception' : 'Approval'}
              color={approval.kind === 'exception' ? 'warning' : 'success'}
            />
            <Typography variant="body2">
              {showComponent && <>{approval.componentRef} &middot; </>}
              deploy <code>{approval.deployId}</code>
              {approval.commit && (
                <>
                  {' '}
                  (<code>{approval.commit.slice(0, 12)}</code>)
                </>
              )}{' '}
              by {approval.approvedBy},{' '}
              <span title={approval.approvedAt}>
                {formatDateTime(approval.approvedAt)}
              </span>
              : {approval.reason}
            </Typography>
          </Stack>
        </li>
      ))}
    </Stack>
  );
};
