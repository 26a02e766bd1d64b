import Grid from '@mui/material/Grid';
import { ProductCostDetail } from '@internal/cost-common';
import { Section } from '@internal/platform-react';
import { formatMonth } from '../../format';
import {
  CostBarChart,
  SERIES_COLOURS,
  SHARED_COLOUR,
} from '../CostBarChart/CostBarChart';
import { CostBreakdownTable } from '../CostBreakdownTable/CostBreakdownTable';
import { TagCoverageTable } from '../TagCoverageTable/TagCoverageTable';

const BREAKDOWNS: Array<{
  field:
    | 'byService'
    | 'byTeam'
    | 'byEnvironment'
    | 'byAwsService'
    | 'byAccount';
  title: string;
  keyLabel: string;
  missingLabel: string;
}> = [
  {
    field: 'byService',
    title: 'By service',
    keyLabel: 'Service',
    missingLabel: '(no service tag)',
  },
  {
    field: 'byTeam',
    title: 'By team',
    keyLabel: 'Team',
    missingLabel: '(no team tag)',
  },
  {
    field: 'byEnvironment',
    title: 'By environment',
    keyLabel: 'Environment',
    missingLabel: '(no environment tag)',
  },
  {
    field: 'byAwsService',
    title: 'By AWS service',
    keyLabel: 'AWS service',
    missingLabel: '(unknown)',
  },
  {
    field: 'byAccount',
    title: 'By account',
    keyLabel: 'Account',
    missingLabel: '(unknown)',
  },
];

/** Monthly cost (direct and shared) and the daily cost of the last days. */
export const ProductCostCharts = (props: { detail: ProductCostDetail }) => {
  const { detail } = props;
  const { currency } = detail;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} lg={6}>
        <Section
          title="Monthly cost"
          subtitle="Direct cost and the shared cost allocated to it"
        >
          <CostBarChart
            title="Monthly cost, direct and shared"
            currency={currency}
            series={[
              { key: 'direct', label: 'Direct', colour: SERIES_COLOURS[0] },
              {
                key: 'shared',
                label: 'Shared (allocated)',
                colour: SHARED_COLOUR,
              },
            ]}
            periods={detail.monthly.map(m => ({
              period: m.month,
              provisional: m.provisional,
              values: { direct: m.direct, shared: m.shared },
            }))}
          />
        </Section>
      </Grid>
      <Grid item xs={12} lg={6}>
        <Section
          title="Daily cost"
          subtitle={`The last ${detail.daily.length} days, direct cost`}
        >
          <CostBarChart
            title="Daily cost"
            currency={currency}
            showLegend={false}
            series={[
              { key: 'amount', label: 'Direct', colour: SERIES_COLOURS[0] },
            ]}
            periods={detail.daily.map(d => ({
              period: d.day,
              provisional: d.provisional,
              values: { amount: d.amount },
            }))}
          />
        </Section>
      </Grid>
    </Grid>
  );
};

/** Where the money goes: by service, team, environment, AWS service and account; tagging. */
export const ProductBreakdowns = (props: { detail: ProductCostDetail }) => {
  const { detail } = props;
  const { currency } = detail;
  // Services the catalog knows are shown by their title and link to their page.
  const serviceRefs = new Map(
    detail.serviceTagCoverage.flatMap(s =>
      s.entityRef ? [[s.service, s.entityRef] as const] : [],
    ),
  );
  return (
    <Grid container spacing={3}>
      {BREAKDOWNS.map(breakdown => (
        <Grid item xs={12} md={6} xl={4} key={breakdown.field}>
          <Section title={breakdown.title}>
            <CostBreakdownTable
              lines={detail[breakdown.field]}
              currency={currency}
              keyLabel={breakdown.keyLabel}
              missingLabel={breakdown.missingLabel}
              entityRefOf={
                breakdown.field === 'byService'
                  ? line => serviceRefs.get(line.key)
                  : undefined
              }
            />
          </Section>
        </Grid>
      ))}
      <Grid item xs={12} md={6} xl={4}>
        <Section
          title="Tag coverage of its services"
          subtitle={formatMonth(detail.lastFullMonth)}
        >
          <TagCoverageTable
            rows={detail.serviceTagCoverage.map(s => ({
              ...s,
              key: s.service,
            }))}
            currency={currency}
            keyLabel="Service"
            missingLabel="(no service tag)"
          />
        </Section>
      </Grid>
    </Grid>
  );
};
