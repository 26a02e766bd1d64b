import Chip from '@mui/material/Chip';
import {
  FileOutcome,
  ProposalStatus,
  UpgradeStatus,
} from '@internal/golden-paths-common';
import { OUTCOME, PROPOSAL_STATUS, UPGRADE_STATUS } from '../../format';

/** A service's upgrade status: none, proposed, conflicts or merged. */
export const UpgradeStatusChip = (props: { status: UpgradeStatus }) => {
  const { label, colour } = UPGRADE_STATUS[props.status];
  return (
    <Chip
      size="small"
      label={label}
      color={colour}
      variant={props.status === 'none' ? 'outlined' : 'filled'}
    />
  );
};

/** Where a proposal stands: ready to merge, conflicts to resolve, merged, closed, failed. */
export const ProposalStatusChip = (props: { status: ProposalStatus }) => {
  const { label, colour } = PROPOSAL_STATUS[props.status];
  return <Chip size="small" label={label} color={colour} />;
};

/** What the merge did with a file. */
export const OutcomeChip = (props: { outcome: FileOutcome }) => {
  const { label, colour } = OUTCOME[props.outcome];
  return <Chip size="small" label={label} color={colour} variant="outlined" />;
};
