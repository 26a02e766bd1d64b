import { ReactNode } from 'react';
import Grid from '@mui/material/Grid';
import { formatAmount, formatMonth } from '../../format';
import { MonthOverMonth } from '../MonthOverMonth/MonthOverMonth';
import { ProvisionalChip } from '../ProvisionalChip/ProvisionalChip';
import { SummaryTile } from './SummaryTile';

/** A tile's place in the row of headline figures: six across on wide screens. */
export const TileSlot = (props: { children: ReactNode }) => (
  <Grid item xs={12} sm={6} md={4} xl={2}>
    {props.children}
  </Grid>
);

/** An amount as a headline figure, marked when AWS still reports it as estimated. */
export const AmountTile = (props: {
  label: string;
  amount: number;
  currency: string;
  provisional: boolean;
  detail: ReactNode;
}) => (
  <TileSlot>
    <SummaryTile
      label={props.label}
      value={
        <>
          {formatAmount(props.amount, props.currency)}
          {props.provisional && <ProvisionalChip />}
        </>
      }
      detail={props.detail}
    />
  </TileSlot>
);

/** The forecast of this month, or a dash and why there is none. */
export const ForecastTile = (props: {
  forecast?: number;
  currency: string;
  detail: string;
}) => (
  <TileSlot>
    <SummaryTile
      label="Forecast this month"
      value={
        props.forecast === undefined
          ? '\u2014'
          : formatAmount(props.forecast, props.currency)
      }
      detail={props.detail}
    />
  </TileSlot>
);

/** The last full month against the one before. */
export const ChangeTile = (props: {
  percent: number | null;
  lastFullMonth: string;
}) => (
  <TileSlot>
    <SummaryTile
      label="Change vs month before"
      value={<MonthOverMonth percent={props.percent} variant="h5" />}
      detail={`${formatMonth(props.lastFullMonth)} vs the month before`}
    />
  </TileSlot>
);
