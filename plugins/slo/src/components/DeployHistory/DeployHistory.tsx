import { Link as RouterLink } from 'react-router-dom';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useRouteRef } from '@backstage/core-plugin-api';
import { formatDateTime, MutedText, Section } from '@internal/platform-react';
import type { DeployApprovals, GateCall } from '@internal/slo-common';
import { useSloQuery } from '../../api/useSloQuery';
import { approveRouteRef } from '../../routes';
import { SloQueryState } from '../SloQueryState/SloQueryState';
import { ApprovalList } from './ApprovalList';
import { approvePath, outcomeColor, outcomeLabel } from './policyOutcome';

/** The canary judged on its own SLI (track canary), or the track asked about. */
const canaryLabel = (call: GateCall) => {
  if (call.track !== 'canary') return call.track ?? '';
  return call.canaryVerdict === 'allow' ? 'Canary allowed' : 'Canary denied';
};

const GateCallRow = (props: { call: GateCall; approveBase?: string }) => {
  const { call, approveBase } = props;
  return (
    <TableRow>
      <TableCell>
        <span title={call.calledAt}>{formatDateTime(call.calledAt)}</span>
      </TableCell>
      <TableCell>
        {call.deployId && approveBase ? (
          <Link
            component={RouterLink}
            to={approvePath(approveBase, call.componentRef, call.deployId)}
          >
            {call.deployId}
          </Link>
        ) : (
          call.deployId ?? <MutedText>not named</MutedText>
        )}
      </TableCell>
      <TableCell>{call.change}</TableCell>
      <TableCell>{call.decision === 'allow' ? 'Allowed' : 'Denied'}</TableCell>
      <TableCell>{canaryLabel(call)}</TableCell>
      <TableCell>
        <Chip
          size="small"
          label={outcomeLabel(call.policyOutcome)}
          color={outcomeColor(call.policyOutcome)}
        />
      </TableCell>
      <TableCell>{call.approvedBy ?? ''}</TableCell>
    </TableRow>
  );
};

/** The recent deploy gate calls and approvals of a service, for its SLO tab. */
export const DeployHistoryView = (props: { history: DeployApprovals }) => {
  const { history } = props;
  const approve = useRouteRef(approveRouteRef);
  const approveBase = approve?.();
  return (
    <Section
      title="Deploys and approvals"
      subtitle="What the deploy gate told the pipeline, and who approved a deploy the error-budget policy held"
    >
      <Stack spacing={2}>
        {history.calls.length === 0 ? (
          <MutedText>No deploy has asked the gate yet.</MutedText>
        ) : (
          <Table size="small" aria-label="Recent deploy gate calls">
            <TableHead>
              <TableRow>
                <TableCell>Asked</TableCell>
                <TableCell>Deploy</TableCell>
                <TableCell>Change</TableCell>
                <TableCell>Gate</TableCell>
                <TableCell>Track</TableCell>
                <TableCell>Policy</TableCell>
                <TableCell>Approved by</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {history.calls.map(call => (
                <GateCallRow
                  key={call.id}
                  call={call}
                  approveBase={approveBase}
                />
              ))}
            </TableBody>
          </Table>
        )}
        <Typography variant="subtitle2" component="h3">
          Approvals and exceptions
        </Typography>
        <ApprovalList approvals={history.approvals} />
      </Stack>
    </Section>
  );
};

/** The deploy history of a Component (the SLO tab). */
export const DeployHistory = (props: { componentRef: string }) => {
  const { componentRef } = props;
  const history = useSloQuery(
    api => api.getDeployApprovals(componentRef),
    [componentRef],
  );
  return (
    <SloQueryState query={history} subject="the deploy gate calls">
      {value => <DeployHistoryView history={value} />}
    </SloQueryState>
  );
};
