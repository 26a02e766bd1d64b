import { useId } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Proposal } from '@internal/golden-paths-common';
import { formatDateTime, MutedText } from '@internal/platform-react';
import { isOpen, plural } from '../../format';
import { rootRouteRef } from '../../routes';

/** Why "Merge into main" is disabled, or undefined when the proposal can be merged. */
export function mergeBlocked(proposal: Proposal): string | undefined {
  if (proposal.conflicts > 0) {
    return `Resolve the ${plural(
      proposal.conflicts,
      'conflict',
    )} first: per file, take the template's version or keep yours (or fix the markers on branch ${
      proposal.branch
    }).`;
  }
  return undefined;
}

/** What a merged or closed proposal says, with the way back to the fleet. */
const Ended = (props: { proposal: Proposal }) => {
  const { proposal } = props;
  const fleetLink = useRouteRef(rootRouteRef);
  const back = (
    <Link component={RouterLink} to={fleetLink()}>
      Back to golden paths
    </Link>
  );
  if (proposal.status === 'merged') {
    return (
      <Alert severity="success">
        Merged into main
        {proposal.mergedAt ? ` on ${formatDateTime(proposal.mergedAt)}` : ''}:
        the service is at {proposal.template} {proposal.toVersion}. {back}
      </Alert>
    );
  }
  return (
    <Alert severity={proposal.status === 'failed' ? 'error' : 'info'}>
      This proposal is {proposal.status}
      {proposal.problem ? `: ${proposal.problem}` : '.'} {back}
    </Alert>
  );
};

/**
 * Merge and Close for a local repository's proposal; the pull request for GitHub, where the
 * review and merge happen.
 */
export const ProposalActions = (props: {
  proposal: Proposal;
  busy: boolean;
  onMerge: () => void;
  onClose: () => void;
}) => {
  const { proposal, busy, onMerge, onClose } = props;
  const reasonId = useId();
  if (!isOpen(proposal.status)) {
    return <Ended proposal={proposal} />;
  }
  if (proposal.target === 'github') {
    return proposal.pullRequestUrl ? (
      <Stack direction="row" spacing={1} alignItems="center">
        <Button
          variant="contained"
          href={proposal.pullRequestUrl}
          target="_blank"
          rel="noopener"
        >
          Open the pull request
        </Button>
        <MutedText>Review, resolve and merge it on GitHub.</MutedText>
      </Stack>
    ) : (
      <MutedText>
        The pull request is being opened by the scaffolder task; its link
        appears here once it exists.
      </MutedText>
    );
  }
  const blocked = mergeBlocked(proposal);
  return (
    <Stack spacing={0.5} alignItems="flex-start">
      <Stack direction="row" spacing={1}>
        <Button
          variant="contained"
          disabled={!!blocked || busy}
          aria-describedby={blocked ? reasonId : undefined}
          onClick={onMerge}
        >
          Merge into main
        </Button>
        <Button variant="outlined" disabled={busy} onClick={onClose}>
          Close
        </Button>
      </Stack>
      {blocked && (
        <span id={reasonId}>
          <MutedText>{blocked}</MutedText>
        </span>
      )}
    </Stack>
  );
};
