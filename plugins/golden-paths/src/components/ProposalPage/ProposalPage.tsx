import { useState } from 'react';
import { useParams } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { FileChange, Proposal } from '@internal/golden-paths-common';
import {
  backendMessage,
  entityName,
  formatDateTime,
  Section,
} from '@internal/platform-react';
import { goldenPathsApiRef, ResolveTake } from '../../api/GoldenPathsApi';
import { useGoldenPathsQuery } from '../../api/useGoldenPathsQuery';
import { isConflict, isOpen } from '../../format';
import { FileList, filesSummary } from '../FileDiff/FileList';
import { GoldenPathsQueryState } from '../GoldenPathsQueryState/GoldenPathsQueryState';
import { ProposalStatusChip } from '../StatusChips/StatusChips';
import { ProposalActions } from './ProposalActions';

/** Per conflicted file: take the template's whole file, or keep the team's. */
const ResolveButtons = (props: {
  file: FileChange;
  busy: boolean;
  onResolve: (path: string, take: ResolveTake) => void;
}) => (
  <>
    <Button
      size="small"
      variant="outlined"
      disabled={props.busy}
      onClick={() => props.onResolve(props.file.path, 'template')}
    >
      Take the template's
    </Button>
    <Button
      size="small"
      variant="outlined"
      disabled={props.busy}
      onClick={() => props.onResolve(props.file.path, 'yours')}
    >
      Keep yours
    </Button>
  </>
);

/** A proposal as the backend last answered it, with its actions (resolve, merge, close). */
export const ProposalView = (props: { proposal: Proposal }) => {
  const api = useApi(goldenPathsApiRef);
  const [proposal, setProposal] = useState(props.proposal);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const act = async (action: () => Promise<Proposal>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      setProposal(await action());
    } catch (error) {
      setFailure(backendMessage(error as Error));
    } finally {
      setBusy(false);
    }
  };
  const canResolve = proposal.target === 'local' && isOpen(proposal.status);

  return (
    <Stack spacing={3}>
      <Section
        title={proposal.title}
        subtitle={
          <Stack spacing={0.5} sx={{ mt: 0.5 }}>
            <span>
              <EntityRefLink entityRef={proposal.entityRef} />
              {' \u00B7 '}
              {proposal.template} {proposal.fromVersion} {'\u2192'}{' '}
              {proposal.toVersion}
            </span>
            <span>
              Proposed by {entityName(proposal.createdBy)} on{' '}
              {formatDateTime(proposal.createdAt)} {'\u00B7'} branch{' '}
              <code>{proposal.branch}</code>
            </span>
          </Stack>
        }
        actions={<ProposalStatusChip status={proposal.status} />}
      >
        <Stack spacing={2}>
          {proposal.problem && isOpen(proposal.status) && (
            <Alert severity="warning">{proposal.problem}</Alert>
          )}
          {failure && <Alert severity="error">{failure}</Alert>}
          <ProposalActions
            proposal={proposal}
            busy={busy}
            onMerge={() => act(() => api.merge(proposal.id))}
            onClose={() => act(() => api.close(proposal.id))}
          />
          {busy && <Progress aria-label="Updating the proposal" />}
        </Stack>
      </Section>
      <Section title="Files" subtitle={filesSummary(proposal.files)}>
        <FileList
          files={proposal.files}
          actions={
            canResolve
              ? file =>
                  isConflict(file) && (
                    <ResolveButtons
                      file={file}
                      busy={busy}
                      onResolve={(path, take) =>
                        act(() => api.resolve(proposal.id, path, take))
                      }
                    />
                  )
              : undefined
          }
        />
      </Section>
    </Stack>
  );
};

/** One proposed change (/golden-paths/proposals/:id). */
export const ProposalPage = () => {
  const { id = '' } = useParams();
  const proposal = useGoldenPathsQuery(api => api.getProposal(id), [id]);
  return (
    <GoldenPathsQueryState
      query={proposal}
      subject="the proposed change"
      notFound={
        <Alert severity="info">
          There is no proposed change {id}: it may have been made on another
          portal, or the address is wrong.
        </Alert>
      }
    >
      {value => <ProposalView key={value.id} proposal={value} />}
    </GoldenPathsQueryState>
  );
};
