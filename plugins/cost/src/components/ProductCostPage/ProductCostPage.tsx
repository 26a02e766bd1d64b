import { Link as RouterLink, useParams } from 'react-router-dom';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { EmptyState } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { BreadcrumbEntry } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ProductCostDetail, UnitCost } from '@internal/cost-common';
import { useCostQuery } from '../../api/useCostQuery';
import { productRouteRef, rootRouteRef } from '../../routes';
import {
  entityName,
  formatAmount,
  formatMonth,
  formatPercent,
  formatShortMonth,
  monthToDateDetail,
} from '../../format';
import { AnomalyTable } from '../AnomalyTable/AnomalyTable';
import {
  CostBarChart,
  SERIES_COLOURS,
  SHARED_COLOUR,
} from '../CostBarChart/CostBarChart';
import { CostBreakdownTable } from '../CostBreakdownTable/CostBreakdownTable';
import { CostFreshness } from '../CostFreshness/CostFreshness';
import { CostQueryState } from '../CostQueryState/CostQueryState';
import { Section as CostSection } from '@internal/platform-react';
import { MonthOverMonth } from '../MonthOverMonth/MonthOverMonth';
import {
  asEntityRef,
  productLabel,
} from '../ProductCostTable/ProductCostTable';
import { ProvisionalChip } from '../ProvisionalChip/ProvisionalChip';
import { SummaryTile } from '../SummaryTile/SummaryTile';
import { TagCoverageTable } from '../TagCoverageTable/TagCoverageTable';
import { NumberCell, useClock, wholeWords } from '@internal/platform-react';

function formatUnitCost(value: number, currency: string): string {
  // Unit costs are small: keep the cents whatever their size.
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: value < 1 ? 4 : 2,
    maximumFractionDigits: value < 1 ? 4 : 2,
  }).format(value);
}

const UnitCostSection = (props: { unitCost: UnitCost; currency: string }) => {
  const { unitCost, currency } = props;
  const theme = useTheme();
  const trend = unitCost.trend;
  return (
    <CostSection
      title={`Cost per 1,000 ${unitCost.metric}`}
      subtitle="Direct cost divided by the business metric, per month"
    >
      <Grid container spacing={3}>
        <Grid item xs={12} md={7}>
          <figure
            style={{ margin: 0 }}
            aria-label={`Cost per 1,000 ${unitCost.metric}, trend`}
          >
            <ResponsiveContainer width="100%" height={220}>
              <LineChart
                data={trend}
                margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
              >
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="month" tickFormatter={formatShortMonth} />
                <YAxis
                  tickFormatter={(v: number) => formatUnitCost(v, currency)}
                  width={72}
                />
                <Tooltip
                  labelFormatter={(label: string) => formatMonth(label)}
                  formatter={(value: number) => [
                    formatUnitCost(value, currency),
                    'per 1,000',
                  ]}
                />
                <Line
                  type="monotone"
                  dataKey="costPerThousand"
                  stroke={theme.palette.primary.main}
                  strokeWidth={2}
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          </figure>
        </Grid>
        <Grid item xs={12} md={5}>
          <Table
            size="small"
            sx={wholeWords}
            aria-label={`Cost per 1,000 ${unitCost.metric}`}
          >
            <TableHead>
              <TableRow>
                <TableCell>Month</TableCell>
                <NumberCell>{unitCost.metric}</NumberCell>
                <NumberCell>Per 1,000</NumberCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {[...trend].reverse().map(point => (
                <TableRow key={point.month}>
                  <TableCell>{formatMonth(point.month)}</TableCell>
                  <NumberCell>{point.units.toLocaleString('en-US')}</NumberCell>
                  <NumberCell>
                    {formatUnitCost(point.costPerThousand, currency)}
                  </NumberCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Grid>
      </Grid>
    </CostSection>
  );
};

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

/** One product's cost: what it costs, how it trends, where the money goes. */
export const ProductCostContent = (props: { detail: ProductCostDetail }) => {
  const { detail } = props;
  const { summary, currency } = detail;
  const clock = useClock();
  const lastMonthProvisional =
    detail.monthly.find(m => m.month === detail.lastFullMonth)?.provisional ??
    false;
  const currentProvisional =
    detail.monthly.find(m => m.month === detail.currentMonth)?.provisional ??
    false;
  const latestUnitCost =
    summary.unitCost?.trend[summary.unitCost.trend.length - 1];
  // Services the catalog knows are shown by their title and link to their page.
  const serviceRefs = new Map(
    detail.serviceTagCoverage.flatMap(s =>
      s.entityRef ? [[s.service, s.entityRef] as const] : [],
    ),
  );

  return (
    <Stack spacing={3}>
      <Stack
        direction="row"
        spacing={1}
        alignItems="center"
        flexWrap="wrap"
        useFlexGap
      >
        <Typography variant="h5" component="h1">
          {productLabel(summary)}
        </Typography>
        {summary.domain && (
          <Chip
            size="small"
            variant="outlined"
            label={`Domain: ${entityName(summary.domain)}`}
          />
        )}
        {summary.owner && (
          <Typography variant="body2">
            Owner:{' '}
            <EntityRefLink entityRef={asEntityRef(summary.owner, 'group')} />
          </Typography>
        )}
        {summary.sharedPool && (
          <Chip
            size="small"
            color="info"
            label={
              'shared cost pool \u2014 split across products by the allocation rules'
            }
          />
        )}
        {summary.entityRef && (
          <EntityRefLink
            entityRef={summary.entityRef}
            title="View in catalog"
          />
        )}
        {!summary.entityRef && !summary.sharedPool && (
          <Chip
            size="small"
            color="warning"
            label={'not in catalog \u2014 fix the product tag'}
          />
        )}
      </Stack>
      <CostFreshness
        freshness={detail.freshness}
        metric={detail.metric}
        currency={currency}
      />
      <Grid container spacing={2}>
        <Grid item xs={12} sm={6} md={4} xl={2}>
          <SummaryTile
            label="Last full month"
            value={
              <>
                {formatAmount(summary.lastFullMonth, currency)}
                {lastMonthProvisional && <ProvisionalChip />}
              </>
            }
            detail={<>{formatMonth(detail.lastFullMonth)}, direct cost</>}
          />
        </Grid>
        <Grid item xs={12} sm={6} md={4} xl={2}>
          <SummaryTile
            label="Month to date"
            value={
              <>
                {formatAmount(summary.monthToDate, currency)}
                {currentProvisional && <ProvisionalChip />}
              </>
            }
            detail={monthToDateDetail(detail.currentMonth, clock.now())}
          />
        </Grid>
        <Grid item xs={12} sm={6} md={4} xl={2}>
          <SummaryTile
            label="Forecast this month"
            value={
              summary.forecastMonth === undefined
                ? '\u2014'
                : formatAmount(summary.forecastMonth, currency)
            }
            detail={
              summary.forecastMonth === undefined
                ? 'No forecast fetched yet'
                : 'AWS forecast, direct cost'
            }
          />
        </Grid>
        <Grid item xs={12} sm={6} md={4} xl={2}>
          <SummaryTile
            label="Change vs month before"
            value={
              <MonthOverMonth
                percent={summary.monthOverMonthPercent}
                variant="h5"
              />
            }
            detail={`${formatMonth(detail.lastFullMonth)} vs the month before`}
          />
        </Grid>
        <Grid item xs={12} sm={6} md={4} xl={2}>
          <SummaryTile
            label="Shared cost allocated"
            value={formatAmount(summary.sharedLastFullMonth, currency)}
            detail="Split to this product by the allocation rules, not in the direct figures"
          />
        </Grid>
        <Grid item xs={12} sm={6} md={4} xl={2}>
          {latestUnitCost && summary.unitCost ? (
            <SummaryTile
              label={`Per 1,000 ${summary.unitCost.metric}`}
              value={formatUnitCost(latestUnitCost.costPerThousand, currency)}
              detail={formatMonth(latestUnitCost.month)}
            />
          ) : (
            <SummaryTile
              label="Share of product cost"
              value={formatPercent(summary.sharePercent)}
              detail={`of all direct product cost in ${formatMonth(
                detail.lastFullMonth,
              )}`}
            />
          )}
        </Grid>
      </Grid>
      <Grid container spacing={3}>
        <Grid item xs={12} lg={6}>
          <CostSection
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
          </CostSection>
        </Grid>
        <Grid item xs={12} lg={6}>
          <CostSection
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
          </CostSection>
        </Grid>
      </Grid>
      <Grid container spacing={3}>
        {BREAKDOWNS.map(breakdown => (
          <Grid item xs={12} md={6} xl={4} key={breakdown.field}>
            <CostSection title={breakdown.title}>
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
            </CostSection>
          </Grid>
        ))}
        <Grid item xs={12} md={6} xl={4}>
          <CostSection
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
          </CostSection>
        </Grid>
      </Grid>
      <CostSection
        title="Cost anomalies"
        subtitle="Spikes AWS reported on this product's spend"
      >
        <AnomalyTable anomalies={detail.anomalies} currency={currency} />
      </CostSection>
      {summary.unitCost && summary.unitCost.trend.length > 0 && (
        <UnitCostSection unitCost={summary.unitCost} currency={currency} />
      )}
    </Stack>
  );
};

const NoCostRecorded = (props: { product: string }) => {
  const rootLink = useRouteRef(rootRouteRef);
  return (
    <EmptyState
      missing="data"
      title={`No cost recorded for product ${props.product}`}
      description={`No stored spend carries the tag product=${props.product}. Check that the product's AWS resources carry this tag with the System's name from the catalog; resources tagged recently show up after the next refresh.`}
      action={
        <Button variant="contained" component={RouterLink} to={rootLink()}>
          All products
        </Button>
      }
    />
  );
};

/** /cost/products/:product */
export const ProductCostPage = () => {
  const { product = '' } = useParams();
  const detail = useCostQuery(api => api.getProduct(product), [product]);
  const rootLink = useRouteRef(rootRouteRef);
  const productLink = useRouteRef(productRouteRef);
  const label =
    detail.status === 'loaded' ? productLabel(detail.value.summary) : product;

  return (
    <BreadcrumbEntry entry={{ label, href: productLink({ product }) }}>
      <Stack spacing={2}>
        <Link component={RouterLink} to={rootLink()} variant="body2">
          {'\u2190 All products'}
        </Link>
        <CostQueryState
          query={detail}
          subject={`the cost of ${product}`}
          notFound={<NoCostRecorded product={product} />}
        >
          {value => <ProductCostContent detail={value} />}
        </CostQueryState>
      </Stack>
    </BreadcrumbEntry>
  );
};
