import { useId } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Grid from '@mui/material/Grid';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import { useRouteRef } from '@backstage/core-plugin-api';
import { UpgradePlan, UpgradeStatus } from '@internal/golden-paths-common';
import {
  InlineQueryState,
  KeyFigure,
  MutedText,
  useCurrentEntity,
} from '@internal/platform-react';
import { useGoldenPathsQuery } from '../../api/useGoldenPathsQuery';
import { formatBehind } from '../../format';
import { proposalRouteRef, upgradeRouteRef } from '../../routes';
import { UpgradeStatusChip } from '../StatusChips/StatusChips';

/** Why the upgrade button is disabled, or undefined when an upgrade can be proposed. */
export function upgradeBlocked(plan: UpgradePlan): string | undefined {
  if (plan.openProposal) {
    return `A proposed change to ${plan.openProposal.toVersion} is open: review, merge or close it before proposing another.`;
  }
  if (plan.newerVersions.length === 0) {
    return `Already on the latest version of ${plan.template} (${plan.fromVersion}).`;
  }
  return undefined;
}

/** The card's upgrade status: the open proposal's (with or without conflicts), else none. */
export function cardStatus(plan: UpgradePlan): UpgradeStatus {
  if (!plan.openProposal) {
    return 'none';
  }
  return plan.openProposal.status === 'conflicts' ? 'conflicts' : 'proposed';
}

/** `/golden-paths/upgrade?entityRef=component:default/x`. */
export function useUpgradeLink(): (entityRef: string) => string {
  const upgrade = useRouteRef(upgradeRouteRef);
  return entityRef => `${upgrade()}?${new URLSearchParams({ entityRef })}`;
}

/** The card's content for a plan: versions, status, the open proposal and the upgrade button. */
export const GoldenPathSummary = (props: { plan: UpgradePlan }) => {
  const { plan } = props;
  const navigate = useNavigate();
  const upgradeLink = useUpgradeLink();
  const proposalLink = useRouteRef(proposalRouteRef);
  const reasonId = useId();
  const blocked = upgradeBlocked(plan);
  const latest =
    plan.newerVersions[plan.newerVersions.length - 1] ?? plan.toVersion;
  const open = plan.openProposal;
  return (
    <Stack spacing={2}>
      <Grid container spacing={2}>
        <Grid item xs={6} sm={3}>
          <KeyFigure label="Template">{plan.template}</KeyFigure>
        </Grid>
        <Grid item xs={6} sm={3}>
          <KeyFigure label="Version">{plan.fromVersion}</KeyFigure>
        </Grid>
        <Grid item xs={6} sm={3}>
          <KeyFigure label="Latest">{latest}</KeyFigure>
        </Grid>
        <Grid item xs={6} sm={3}>
          <KeyFigure label="Behind">
            {formatBehind(plan.newerVersions.length)}
          </KeyFigure>
        </Grid>
      </Grid>
      <Stack direction="row" spacing={1} alignItems="center">
        <MutedText>Upgrade status:</MutedText>
        <UpgradeStatusChip status={cardStatus(plan)} />
        {open && (
          <Link component={RouterLink} to={proposalLink({ id: open.id })}>
            Review the open proposal
          </Link>
        )}
      </Stack>
      <Stack spacing={0.5} alignItems="flex-start">
        <Button
          variant="contained"
          disabled={!!blocked}
          aria-describedby={blocked ? reasonId : undefined}
          onClick={() => navigate(upgradeLink(plan.entityRef))}
        >
          Upgrade to {latest}
        </Button>
        {blocked && (
          <span id={reasonId}>
            <MutedText>{blocked}</MutedText>
          </span>
        )}
      </Stack>
    </Stack>
  );
};

/**
 * "Golden path" on a Component made from a template: its template and version, how far behind
 * the latest release, the open proposal, and the button to upgrade (a change to review).
 */
export const EntityGoldenPathCard = () => {
  const { entityRef } = useCurrentEntity();
  const plan = useGoldenPathsQuery(api => api.getPlan(entityRef), [entityRef]);
  return (
    <Card component="section" aria-label="Golden path">
      <CardHeader
        title="Golden path"
        titleTypographyProps={{ component: 'h2', variant: 'h6' }}
      />
      <CardContent>
        <InlineQueryState
          query={plan}
          loadingLabel="Loading the golden path"
          failure="Could not read this service's golden path"
        >
          {value => <GoldenPathSummary plan={value} />}
        </InlineQueryState>
      </CardContent>
    </Card>
  );
};
