import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/core-plugin-api';
import { ReviewSignOff } from '@internal/slo-common';
import { entityName, formatDateTime } from '@internal/platform-react';
import { sloApiRef } from '../../api/SloApi';
import { responseStatus } from '../../api/useSloQuery';
import { toError } from '../ReviewNotes/notes';

/**
 * A team's sign-off of its section of the week: who signed off when, or the button to sign off
 * (a member of the team or an SLO reviewer; the backend decides and says so).
 */
export const TeamSignOff = (props: {
  week: string;
  team: string;
  signOff?: ReviewSignOff;
}) => {
  const { week, team } = props;
  const sloApi = useApi(sloApiRef);
  const [signOff, setSignOff] = useState(props.signOff);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const teamName = entityName(team);

  if (signOff) {
    return (
      <Typography
        variant="body2"
        color="success.main"
        role="status"
        aria-label={`Sign-off of ${teamName}`}
      >
        <span aria-hidden="true">{'\u2714'} </span>
        Signed off by{' '}
        <span title={signOff.signedBy}>
          {entityName(signOff.signedBy)}
        </span>,{' '}
        <time dateTime={signOff.signedAt}>
          {formatDateTime(signOff.signedAt)}
        </time>
      </Typography>
    );
  }

  const signOffNow = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setSignOff(await sloApi.signOff(week, team));
    } catch (caught) {
      const failure = toError(caught);
      const status = responseStatus(failure);
      setError(
        status === 403
          ? `Only a member of ${teamName} or an SLO reviewer can sign off this section.`
          : `Could not sign off: ${failure.message}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack spacing={1} alignItems="flex-start">
      <Stack direction="row" spacing={1} alignItems="center">
        <Typography variant="body2" color="text.secondary">
          Not signed off yet
        </Typography>
        <Button
          size="small"
          variant="outlined"
          disabled={busy}
          onClick={signOffNow}
        >
          Sign off {teamName}
        </Button>
      </Stack>
      {error && <Alert severity="error">{error}</Alert>}
    </Stack>
  );
};
