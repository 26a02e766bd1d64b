import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import LinearProgress from '@mui/material/LinearProgress';
import { useCostQuery } from '../../api/useCostQuery';
import { formatAmount, formatMonth, formatPercent } from '../../format';
import { CostBreakdownTable } from '../CostBreakdownTable/CostBreakdownTable';
import { CostFreshness } from '../CostFreshness/CostFreshness';
import { CostQueryState } from '../CostQueryState/CostQueryState';
import {
  Section as CostSection,
  MutedText,
  useCurrentEntity,
} from '@internal/platform-react';
import {
  EntityCostChart,
  EntityCostFigures,
  MappedEntityCost,
  NotMappedNotice,
  useProductLink,
} from '../EntityCostCard/EntityCostCard';

const TeamCost = (props: { cost: MappedEntityCost }) => {
  const { cost } = props;
  const productLink = useProductLink();
  return (
    <Stack spacing={3}>
      <CostFreshness freshness={cost.freshness} />
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <CostSection
            title="Team cost"
            subtitle="Direct cost of the products the team owns"
          >
            <Stack spacing={2}>
              <EntityCostFigures cost={cost} />
              <EntityCostChart cost={cost} height={220} months={12} />
            </Stack>
          </CostSection>
        </Grid>
        <Grid item xs={12} md={6}>
          <CostSection
            title="Products"
            subtitle={formatMonth(cost.lastFullMonth)}
          >
            <CostBreakdownTable
              lines={cost.breakdown}
              currency={cost.currency}
              keyLabel="Product"
              missingLabel="(no product tag)"
              linkTo={
                productLink &&
                (line => (line.key ? productLink(line.key) : undefined))
              }
            />
          </CostSection>
        </Grid>
        <Grid item xs={12} md={6}>
          <CostSection
            title="Tag coverage"
            subtitle={`The team's spend, ${formatMonth(cost.lastFullMonth)}`}
          >
            {cost.tagCoverage ? (
              <Stack spacing={1}>
                <Typography variant="h5" component="p">
                  {formatPercent(cost.tagCoverage.coveredPercent)}
                </Typography>
                <LinearProgress
                  variant="determinate"
                  value={Math.min(
                    100,
                    Math.max(0, cost.tagCoverage.coveredPercent),
                  )}
                  aria-hidden="true"
                  sx={{ height: 8, borderRadius: 4 }}
                />
                <MutedText>
                  {formatAmount(cost.tagCoverage.coveredAmount, cost.currency)}{' '}
                  of {formatAmount(cost.tagCoverage.totalAmount, cost.currency)}{' '}
                  carries every required tag.
                </MutedText>
              </Stack>
            ) : (
              <MutedText>No tag coverage measured for this team yet.</MutedText>
            )}
          </CostSection>
        </Grid>
      </Grid>
    </Stack>
  );
};

/** The "Cost" tab of a team (Group) page: its products, their cost and its tagging. */
export const GroupCostContent = () => {
  const { entityRef, title } = useCurrentEntity();
  const cost = useCostQuery(api => api.getEntityCost(entityRef), [entityRef]);
  return (
    <CostQueryState query={cost} subject={`the cost of ${title}`}>
      {value =>
        value.mapped ? (
          <TeamCost cost={value} />
        ) : (
          <NotMappedNotice cost={value} />
        )
      }
    </CostQueryState>
  );
};
