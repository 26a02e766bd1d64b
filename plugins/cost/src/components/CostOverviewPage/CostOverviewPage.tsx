import Alert from '@mui/material/Alert';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import { EmptyState } from '@backstage/core-components';
import { CostOverview } from '@internal/cost-common';
import { useCostQuery } from '../../api/useCostQuery';
import { formatMonth } from '../../format';
import {
  CostBarChart,
  CostChartSeries,
  SERIES_COLOURS,
  SHARED_COLOUR,
  UNALLOCATED_COLOUR,
  CHARGES_COLOUR,
} from '../CostBarChart/CostBarChart';
import { CostFreshness } from '../CostFreshness/CostFreshness';
import { CostQueryState } from '../CostQueryState/CostQueryState';
import { MutedText, Section as CostSection } from '@internal/platform-react';
import { DownloadCsvButton } from '../DownloadCsvButton/DownloadCsvButton';
import { CostCategoryDownloads } from '../CostCategoryDownloads/CostCategoryDownloads';
import { ProductCostTable } from '../ProductCostTable/ProductCostTable';
import { productLabel } from '../ProductCostTable/products';
import { TagCoverageTable } from '../TagCoverageTable/TagCoverageTable';
import { AnomalyTable } from '../AnomalyTable/AnomalyTable';
import { OverviewTiles } from './OverviewTiles';
import { ChargeLinesTable } from '../BillNotes/ChargeLinesTable';
import { CostAllocationTagAlert } from '../BillNotes/CostAllocationTagAlert';
import { CurrencyNoteAlert } from '../BillNotes/CurrencyNoteAlert';

/** Product series of the stacked chart, largest last month first, then shared and unallocated. */
export function monthlySeries(overview: CostOverview): CostChartSeries[] {
  // A restricted answer has no shared or unallocated figures (they are organisation-wide).
  const organisationWide: CostChartSeries[] = overview.restricted
    ? []
    : [
        { key: '$shared', label: 'Shared', colour: SHARED_COLOUR },
        {
          key: '$unallocated',
          label: 'Unallocated',
          colour: UNALLOCATED_COLOUR,
        },
        {
          key: '$charges',
          label: 'Charges (tax, support, fees, net of credits)',
          colour: CHARGES_COLOUR,
        },
      ];
  const titles = new Map(
    overview.products.map(p => [p.product, productLabel(p)]),
  );
  const ranked = overview.products.map(p => p.product);
  const others = [
    ...new Set(overview.monthly.flatMap(m => Object.keys(m.byProduct))),
  ].filter(product => !titles.has(product));
  return [
    ...[...ranked, ...others].map((product, index) => ({
      key: product,
      label: titles.get(product) ?? product,
      colour: SERIES_COLOURS[index % SERIES_COLOURS.length],
    })),
    ...organisationWide,
  ];
}

const AnomaliesSection = (props: { currency: string }) => {
  const anomalies = useCostQuery(api => api.getAnomalies(), []);
  return (
    <CostSection
      title="Cost anomalies"
      subtitle="Spikes AWS Cost Anomaly Detection reported, newest first"
    >
      <CostQueryState query={anomalies} subject="cost anomalies">
        {list => (
          <AnomalyTable
            anomalies={list}
            currency={props.currency}
            showProducts
          />
        )}
      </CostQueryState>
    </CostSection>
  );
};

/** Tax, support, credits, fees and marketplace: lines of their own, never unallocated. */
const ChargesSection = (props: {
  overview: CostOverview;
  charges: NonNullable<CostOverview['charges']>;
}) => {
  const { overview, charges } = props;
  const { currency } = overview;
  return (
    <CostSection
      title="Charges no tag can carry"
      subtitle={`Tax, support, credits, refunds, Savings Plans and RI fees, marketplace (${formatMonth(
        overview.lastFullMonth,
      )}): in the totals, not unallocated spend. Credits and refunds are negative.${
        charges.spreadLastFullMonth !== 0
          ? ' Spread charges show on each product apart from its direct cost.'
          : ''
      }`}
    >
      <ChargeLinesTable charges={charges} currency={currency} />
    </CostSection>
  );
};

/** The stacked monthly chart: products, shared, unallocated and the charges no tag can carry. */
const MonthlyChartSection = (props: { overview: CostOverview }) => {
  const { overview } = props;
  const { currency } = overview;
  return (
    <CostSection
      title="Monthly cost by product"
      subtitle={
        overview.restricted
          ? 'Direct cost of the products you own'
          : 'Direct cost per product, plus shared and unallocated spend and the charges no tag can carry'
      }
      actions={<DownloadCsvButton view="monthly" />}
    >
      <CostBarChart
        title="Monthly cost by product"
        currency={currency}
        series={monthlySeries(overview)}
        periods={overview.monthly.map(m => ({
          period: m.month,
          provisional: m.provisional,
          values: {
            ...m.byProduct,
            $shared: m.shared,
            $unallocated: m.unallocated,
            $charges: m.charges ?? 0,
          },
        }))}
      />
    </CostSection>
  );
};

/** Everything a lead reviews: totals, what is not allocated, every product, trends, tagging. */
export const CostOverviewContent = (props: { overview: CostOverview }) => {
  const { overview } = props;
  const { currency } = overview;

  if (overview.products.length === 0 && !overview.freshness.refreshedAt) {
    return (
      <Stack spacing={2}>
        <CostFreshness freshness={overview.freshness} />
        <EmptyState
          missing="data"
          title="No cost figures yet"
          description="The backend has not finished its first refresh from AWS Cost Explorer. Figures appear here once it has; if an account above shows an error, that account's access needs fixing first."
        />
      </Stack>
    );
  }

  return (
    <Stack spacing={3}>
      {overview.restricted && (
        <Alert severity="info">
          Showing the products you own: totals and shares cover those products
          only. Leads and finance see every product, unallocated spend and tag
          coverage.
        </Alert>
      )}
      <CostFreshness
        freshness={overview.freshness}
        metric={overview.metric}
        currency={currency}
      />
      <CurrencyNoteAlert note={overview.currencyNote} />
      {!overview.restricted && (
        <CostAllocationTagAlert activation={overview.tagActivation} />
      )}
      <OverviewTiles overview={overview} />
      <CostSection
        title="Products"
        subtitle={`Direct cost (spend carrying the product tag); last full month is ${formatMonth(
          overview.lastFullMonth,
        )}. Shared cost is allocated by the split rules and shown separately.`}
        actions={<DownloadCsvButton view="products" />}
      >
        <ProductCostTable products={overview.products} currency={currency} />
      </CostSection>
      {!overview.restricted && overview.charges && (
        <ChargesSection overview={overview} charges={overview.charges} />
      )}
      <MonthlyChartSection overview={overview} />
      <Grid container spacing={3}>
        {!overview.restricted && (
          <Grid item xs={12} xl={5}>
            <CostSection
              title="Tag coverage by team"
              subtitle={`Share of each team's spend carrying every required tag, ${formatMonth(
                overview.lastFullMonth,
              )}`}
              actions={
                <DownloadCsvButton view="unallocated" label="Unallocated CSV" />
              }
            >
              <TagCoverageTable
                rows={overview.tagCoverage.byTeam.map(t => ({
                  ...t,
                  key: t.team,
                }))}
                currency={currency}
                keyLabel="Team"
                missingLabel="(no team tag)"
              />
            </CostSection>
          </Grid>
        )}
        <Grid item xs={12} xl={overview.restricted ? 12 : 7}>
          <AnomaliesSection currency={currency} />
        </Grid>
      </Grid>
      {!overview.restricted && (
        <CostSection
          title="AWS Cost Category"
          subtitle="The same allocation in AWS's own console: one value per product, matching its services' product tag, shared pools as split charge rules. For CreateCostCategoryDefinition or Terraform (aws_ce_cost_category)."
          actions={<CostCategoryDownloads />}
        >
          <MutedText>
            Generated from the catalog now, effective from the first of this
            month. Spend no rule matches gets the default value; AWS applies a
            new definition to Cost Explorer within about a day.
          </MutedText>
        </CostSection>
      )}
    </Stack>
  );
};

/** The Cost page's front view (/cost). */
export const CostOverviewPage = () => {
  const overview = useCostQuery(api => api.getOverview(), []);
  return (
    <CostQueryState query={overview} subject="the cost overview">
      {value => <CostOverviewContent overview={value} />}
    </CostQueryState>
  );
};
