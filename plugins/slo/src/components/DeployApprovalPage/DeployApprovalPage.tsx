import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import {
  formatDateTime,
  MutedText,
  Section,
  useClock,
} from '@internal/platform-react';
import type { DeployApproval, DeployApprovals } from '@internal/slo-common';
import { useSloQuery } from '../../api/useSloQuery';
import { SloQueryState } from '../SloQueryState/SloQueryState';
import { ApprovalList } from '../DeployHistory/ApprovalList';
import {
  isValidApproval,
  neededKind,
  outcomeColor,
  outcomeLabel,
} from '../DeployHistory/policyOutcome';
import { ApprovalForm } from './ApprovalForm';

/** What the gate last told the deploy's pipeline: the policy's outcome and the reasons per SLO. */
const GateAnswer = (props: {
  deploy: NonNullable<DeployApprovals['deploy']>;
}) => {
  const { deploy } = props;
  return (
    <Section
      title="The gate's answer"
      subtitle={
        <>
          {deploy.change} &middot; asked{' '}
          <span title={deploy.calledAt}>{formatDateTime(deploy.calledAt)}</span>
          {deploy.commit && (
            <>
              {' '}
              &middot; commit <code>{deploy.commit}</code>
            </>
          )}
        </>
      }
    >
      <Stack spacing={1.5}>
        <Stack direction="row" spacing={1} alignItems="center">
          <Chip
            label={outcomeLabel(deploy.policy?.outcome ?? deploy.policyOutcome)}
            color={outcomeColor(deploy.policy?.outcome ?? deploy.policyOutcome)}
          />
          <Typography variant="body2">
            {deploy.decision === 'allow' ? 'Allowed' : 'Denied'}
            {deploy.policy && <> &middot; policy {deploy.policy.name}</>}
          </Typography>
        </Stack>
        {deploy.policy && (
          <Typography variant="body2">{deploy.policy.message}</Typography>
        )}
        <Stack component="ul" spacing={0.5} sx={{ m: 0, pl: 2 }}>
          {deploy.reasons.map((reason, i) => (
            <Typography component="li" variant="body2" key={i}>
              {reason.message}
              {reason.blocking && <strong> (blocks this deploy)</strong>}
            </Typography>
          ))}
        </Stack>
      </Stack>
    </Section>
  );
};

const DeployApprovalView = (props: {
  answer: DeployApprovals;
  deployId: string;
}) => {
  const { answer, deployId } = props;
  const now = useClock().now();
  const [recorded, setRecorded] = useState<DeployApproval[]>([]);
  const approvals = [...recorded, ...answer.approvals];
  const valid = approvals.filter(a => isValidApproval(a, now));
  if (!answer.deploy)
    return (
      <Alert severity="info">
        No gate call of deploy <code>{deployId}</code> of {answer.componentRef}{' '}
        is recorded. Its pipeline asks the gate with this deployId first; the
        page then shows the gate&apos;s answer.
      </Alert>
    );
  return (
    <Stack spacing={3}>
      <GateAnswer deploy={answer.deploy} />
      <Section title="Approval">
        <Stack spacing={2}>
          {valid.length > 0 && (
            <Alert severity="success">
              <AlertTitle>
                {valid[0].kind === 'exception' ? 'Exception' : 'Approved'} by{' '}
                {valid[0].approvedBy}
              </AlertTitle>
              {formatDateTime(valid[0].approvedAt)}: {valid[0].reason}. Valid
              until {formatDateTime(valid[0].expiresAt)}; the gate lets this
              deploy through on its next call.
            </Alert>
          )}
          {valid.length === 0 && !approvable(answer.deploy) && (
            <Alert severity="info">
              {answer.deploy.decision === 'allow'
                ? 'The gate let this deploy through: it needs no approval.'
                : 'The gate denied this deploy on its hard rules (no data, or a fast burn the policy does not let this change through); an approval does not lift them.'}
            </Alert>
          )}
          {valid.length === 0 && approvable(answer.deploy) && (
            <ApprovalForm
              componentRef={answer.componentRef}
              deployId={deployId}
              commit={answer.deploy.commit}
              initialKind={neededKind(answer.deploy)}
              onApproved={approval =>
                setRecorded(current => [approval, ...current])
              }
            />
          )}
          {approvals.length > valid.length && (
            <>
              <MutedText>Expired</MutedText>
              <ApprovalList
                approvals={approvals.filter(a => !isValidApproval(a, now))}
              />
            </>
          )}
        </Stack>
      </Section>
    </Stack>
  );
};

/** Whether an approval or exception can let the deploy through: the policy held it. */
function approvable(deploy: NonNullable<DeployApprovals['deploy']>): boolean {
  const outcome = deploy.policy?.outcome ?? deploy.policyOutcome ?? '';
  return outcome === 'needs-approval' || outcome.startsWith('only-');
}

/** /slo/approve?componentRef=...&deployId=...: the link the gate gives a held deploy's pipeline. */
export const DeployApprovalPage = () => {
  const [params] = useSearchParams();
  const componentRef = params.get('componentRef') ?? '';
  const deployId = params.get('deployId') ?? '';
  const answer = useSloQuery(
    api =>
      componentRef && deployId
        ? api.getDeployApprovals(componentRef, deployId)
        : Promise.resolve(undefined),
    [componentRef, deployId],
  );
  return (
    <Stack spacing={3}>
      <div>
        <Typography variant="h5" component="h1">
          Approve a deploy
        </Typography>
        <MutedText>
          {componentRef || 'No component'} &middot; deploy{' '}
          <code>{deployId || 'not named'}</code>
        </MutedText>
      </div>
      {!componentRef || !deployId ? (
        <Alert severity="warning">
          The link names no deploy: it needs componentRef and deployId, as the
          deploy gate&apos;s approvalUrl gives them.
        </Alert>
      ) : (
        <SloQueryState query={answer} subject="this deploy's gate answer">
          {value =>
            value ? (
              <DeployApprovalView answer={value} deployId={deployId} />
            ) : null
          }
        </SloQueryState>
      )}
    </Stack>
  );
};
