import { Link as RouterLink } from 'react-router-dom';
import Grid from '@mui/material/Grid';
import Link from '@mui/material/Link';
import { useRouteRef } from '@backstage/core-plugin-api';
import { CostOverview } from '@internal/cost-common';
import { useClock } from '@internal/platform-react';
import { unallocatedRouteRef } from '../../routes';
import {
  formatAmount,
  formatMonth,
  formatPercent,
  monthToDateDetail,
} from '../../format';
import {
  AmountTile,
  ChangeTile,
  ForecastTile,
  TileSlot,
} from '../SummaryTile/CostTiles';
import { SummaryTile } from '../SummaryTile/SummaryTile';

/** Unallocated spend above this share of the month is flagged in amber. */
const UNALLOCATED_WARNING_PERCENT = 5;

function forecastDetail(overview: CostOverview): string {
  if (overview.totals.forecastMonth !== undefined) {
    const range = overview.totals.forecastRange;
    const of = `AWS forecast for ${formatMonth(overview.currentMonth)}`;
    if (!range) return of;
    const bounds = `${formatAmount(
      range.low,
      overview.currency,
    )}\u2013${formatAmount(range.high, overview.currency)}`;
    // Per-account bounds added up are not an 80% range of the total: say what they are.
    return range.basis === 'accounts-summed'
      ? `${of}; ${bounds} is the sum of ${range.accounts} accounts' own ${range.level}% ranges, wider than the bill's`
      : `${of}; ${range.level}% range ${bounds}`;
  }
  // AWS forecasts the whole account, so a partial view has none.
  return overview.restricted
    ? 'Forecasts cover all products; leads and finance see them'
    : 'No forecast fetched yet';
}

/** Unallocated spend and tag coverage: organisation-wide, so only in the full view. */
const OrganisationTiles = (props: { overview: CostOverview }) => {
  const { overview } = props;
  const { currency } = overview;
  const unallocatedLink = useRouteRef(unallocatedRouteRef);
  const unallocatedHigh =
    overview.unallocated.sharePercent > UNALLOCATED_WARNING_PERCENT;
  // AWS cannot group by the product tag: "untagged" spend is then no one's to own.
  const notMeasured = overview.unallocated.notMeasured;
  const coverage = overview.tagCoverage.overall;
  const basis = overview.tagCoverage.basis;
  let coverageBasis = '';
  if (basis && !basis.verified)
    coverageBasis =
      '. Unverified: which tag keys AWS has activated could not be read';
  else if (basis && basis.keysLeftOut.length > 0)
    coverageBasis = `. Counts ${basis.keysCounted.join(
      ', ',
    )}; leaves out ${basis.keysLeftOut.join(', ')}, which AWS cannot group by`;
  return (
    <>
      <TileSlot>
        <SummaryTile
          label="Unallocated spend"
          emphasis={
            unallocatedHigh || notMeasured !== undefined ? 'warning' : 'info'
          }
          value={
            notMeasured === undefined
              ? formatPercent(overview.unallocated.sharePercent)
              : 'not measured'
          }
          detail={
            notMeasured ??
            `${formatAmount(
              overview.unallocated.lastFullMonth,
              currency,
            )} without a product tag in ${formatMonth(overview.lastFullMonth)}`
          }
        >
          <Link component={RouterLink} to={unallocatedLink()} variant="body2">
            See unallocated spend by account and AWS service
          </Link>
        </SummaryTile>
      </TileSlot>
      <TileSlot>
        <SummaryTile
          label="Tag coverage"
          emphasis={
            basis && (!basis.verified || basis.keysLeftOut.length > 0)
              ? 'warning'
              : 'info'
          }
          value={formatPercent(coverage.coveredPercent)}
          detail={`of spend carries every required tag (${formatAmount(
            coverage.coveredAmount,
            currency,
          )} of ${formatAmount(
            coverage.totalAmount,
            currency,
          )})${coverageBasis}`}
        />
      </TileSlot>
    </>
  );
};

/** The overview's headline figures. */
export const OverviewTiles = (props: { overview: CostOverview }) => {
  const { overview } = props;
  const { totals, currency } = overview;
  const clock = useClock();
  const isProvisional = (month: string) =>
    overview.monthly.find(m => m.month === month)?.provisional ?? false;

  return (
    <Grid container spacing={2}>
      <AmountTile
        label="Last full month"
        amount={totals.lastFullMonth}
        currency={currency}
        provisional={isProvisional(overview.lastFullMonth)}
        detail={
          overview.restricted
            ? `${formatMonth(overview.lastFullMonth)}, the products you own`
            : `${formatMonth(
                overview.lastFullMonth,
              )}, all spend (incl. ${formatAmount(
                overview.shared.lastFullMonth,
                currency,
              )} shared${
                overview.charges
                  ? `, ${formatAmount(
                      overview.charges.lastFullMonth,
                      currency,
                    )} net charges`
                  : ''
              })`
        }
      />
      <AmountTile
        label="Month to date"
        amount={totals.monthToDate}
        currency={currency}
        provisional={isProvisional(overview.currentMonth)}
        detail={monthToDateDetail(overview.currentMonth, clock.now())}
      />
      <ForecastTile
        forecast={totals.forecastMonth}
        currency={currency}
        detail={forecastDetail(overview)}
      />
      <ChangeTile
        percent={totals.monthOverMonthPercent}
        lastFullMonth={overview.lastFullMonth}
      />
      {!overview.restricted && <OrganisationTiles overview={overview} />}
    </Grid>
  );
};
