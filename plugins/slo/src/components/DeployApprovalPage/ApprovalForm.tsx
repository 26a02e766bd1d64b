import { FormEvent, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { useApi } from '@backstage/core-plugin-api';
import type { DeployApproval } from '@internal/slo-common';
import { sloApiRef } from '../../api/SloApi';
import { responseStatus } from '../../api/useSloQuery';

const NOT_ALLOWED =
  'Only the SLO approvers may approve deploys the error-budget policy holds (permission.paymentsPolicy.sloApprovers).';

/** The reason and the Approve button; the approval is recorded as the signed-in user. */
export const ApprovalForm = (props: {
  componentRef: string;
  deployId: string;
  commit?: string;
  initialKind: DeployApproval['kind'];
  onApproved: (approval: DeployApproval) => void;
}) => {
  const { componentRef, deployId, commit, onApproved } = props;
  const sloApi = useApi(sloApiRef);
  const [kind, setKind] = useState<DeployApproval['kind']>(props.initialKind);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = reason.trim();
    if (!trimmed || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      onApproved(
        await sloApi.approveDeploy({
          componentRef,
          deployId,
          commit,
          reason: trimmed,
          kind,
        }),
      );
      setReason('');
    } catch (caught) {
      const failure = caught as Error;
      setError(
        responseStatus(failure) === 403
          ? NOT_ALLOWED
          : `Could not record the ${kind}: ${failure.message}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack
      component="form"
      spacing={2}
      onSubmit={submit}
      aria-label="Approve this deploy"
    >
      <ToggleButtonGroup
        exclusive
        size="small"
        value={kind}
        onChange={(_e, value) => value && setKind(value)}
        aria-label="Kind"
      >
        <ToggleButton value="approval">Approval</ToggleButton>
        <ToggleButton value="exception">Exception</ToggleButton>
      </ToggleButtonGroup>
      <TextField
        label="Reason"
        required
        multiline
        minRows={2}
        value={reason}
        onChange={e => setReason(e.target.value)}
        helperText={
          kind === 'exception'
            ? 'An exception also lets through a change the policy does not allow now (not during a fast burn, nor without data).'
            : 'Why this deploy may go ahead: what it fixes, the rollback plan.'
        }
        inputProps={{ maxLength: 2000 }}
      />
      {error && <Alert severity="error">{error}</Alert>}
      <div>
        <Button
          type="submit"
          variant="contained"
          disabled={busy || !reason.trim()}
        >
          {kind === 'exception' ? 'Record exception' : 'Approve'}
        </Button>
      </div>
    </Stack>
  );
};
