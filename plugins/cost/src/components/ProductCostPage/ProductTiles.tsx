import Grid from '@mui/material/Grid';
import { ProductCostDetail } from '@internal/cost-common';
import { useClock } from '@internal/platform-react';
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
import { formatUnitCost } from './UnitCostSection';

/** The last month's unit cost when the product has a business metric, else its share. */
const UnitOrShareTile = (props: { detail: ProductCostDetail }) => {
  const { summary, currency, lastFullMonth } = props.detail;
  const unitCost = summary.unitCost;
  const latest = unitCost?.trend[unitCost.trend.length - 1];
  if (latest && unitCost) {
    return (
      <SummaryTile
        label={`Per 1,000 ${unitCost.metric}`}
        value={formatUnitCost(latest.costPerThousand, currency)}
        detail={`${formatMonth(latest.month)}${latest.toDate ? ' so far' : ''}`}
      />
    );
  }
  return (
    <SummaryTile
      label="Share of product cost"
      value={formatPercent(summary.sharePercent)}
      detail={`of all direct product cost in ${formatMonth(lastFullMonth)}`}
    />
  );
};

/** The product's headline figures: last month, this month, forecast, change, shared, unit. */
export const ProductTiles = (props: { detail: ProductCostDetail }) => {
  const { detail } = props;
  const { summary, currency } = detail;
  const clock = useClock();
  const provisional = (month: string) =>
    detail.monthly.find(m => m.month === month)?.provisional ?? false;
  return (
    <Grid container spacing={2}>
      <AmountTile
        label="Last full month"
        amount={summary.lastFullMonth}
        currency={currency}
        provisional={provisional(detail.lastFullMonth)}
        detail={<>{formatMonth(detail.lastFullMonth)}, direct cost</>}
      />
      <AmountTile
        label="Month to date"
        amount={summary.monthToDate}
        currency={currency}
        provisional={provisional(detail.currentMonth)}
        detail={monthToDateDetail(detail.currentMonth, clock.now())}
      />
      <ForecastTile
        forecast={summary.forecastMonth}
        currency={currency}
        detail={
          summary.forecastMonth === undefined
            ? 'No forecast fetched yet'
            : 'AWS forecast, direct cost'
        }
      />
      <ChangeTile
        percent={summary.monthOverMonthPercent}
        lastFullMonth={detail.lastFullMonth}
      />
      <TileSlot>
        <SummaryTile
          label="Shared cost allocated"
          value={formatAmount(summary.sharedLastFullMonth, currency)}
          detail="Split to this product by the allocation rules, not in the direct figures"
        />
      </TileSlot>
      {summary.chargesLastFullMonth !== undefined && (
        <TileSlot>
          <SummaryTile
            label="Charges spread"
            value={formatAmount(summary.chargesLastFullMonth, currency)}
            detail="Support, credits and other charges spread to this product by cost.chargeSpread, not in the direct figures"
          />
        </TileSlot>
      )}
      <TileSlot>
        <UnitOrShareTile detail={detail} />
      </TileSlot>
    </Grid>
  );
};
