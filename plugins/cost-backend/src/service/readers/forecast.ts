import type { CostForecast } from '@internal/cost-common';
import { monthOf } from '../dates';
import {
  forecastRangeMeaning,
  forecasts,
  pools,
  productMonths,
  restOfMonth,
  runRateShares,
} from './figures';
import { monthsOf, round } from './numbers';
import { chargeTotals } from './charges';
import type { Snapshot } from './snapshot';
import type { ProductVisibility } from './types';

/** The whole organisation's forecast once per snapshot; others get their products' lines of it. */
export async function forecast(
  snap: Snapshot,
  visibility: ProductVisibility,
): Promise<CostForecast> {
  const all = await snap.get('forecast', () => organisationForecast(snap));
  if (visibility.all) return all;
  return {
    ...all,
    current: undefined,
    next: undefined,
    unavailable:
      all.unavailable ??
      'The forecast of the whole month covers every product: leads and finance see it',
    byProduct: all.byProduct.filter(p => visibility.products.has(p.product)),
  };
}

async function organisationForecast(snap: Snapshot): Promise<CostForecast> {
  const { today, currentMonth } = monthsOf(snap.today);
  const [periods, byProduct, shares] = await Promise.all([
    forecasts(snap),
    productMonths(snap),
    runRateShares(snap),
  ]);
  const rest = restOfMonth(periods, today);
  const next = periods.find(p => monthOf(p.start) > currentMonth);
  const mtdOf = (product: string) =>
    byProduct.get(product)?.get(currentMonth)?.amount ?? 0;
  const poolNames = pools(snap);
  const products = [...byProduct.keys()].filter(
    p => p !== '' && !poolNames.has(p),
  );
  // The whole bill so far, charges included: AWS's forecast is of the whole bill too.
  const monthToDate =
    [...byProduct.keys()].reduce((s, p) => s + mtdOf(p), 0) +
    ((await chargeTotals(snap)).get(currentMonth) ?? 0);
  let unavailable: string | undefined;
  if (periods.length === 0)
    unavailable =
      'No forecast fetched yet: the forecast refresh reads AWS once a day';
  else if (!rest)
    unavailable = `The latest forecast (from ${periods[0].start}) does not cover ${currentMonth}; the next daily forecast refresh will`;
  return {
    currency: snap.options.currency,
    metric: snap.options.metric,
    currentMonth,
    unavailable,
    current: rest
      ? {
          monthToDate: round(monthToDate),
          mean: round(monthToDate + rest.mean),
          low: round(monthToDate + rest.low),
          high: round(monthToDate + rest.high),
        }
      : undefined,
    range: rest ? forecastRangeMeaning(rest.scopes ?? 1) : undefined,
    next: next
      ? {
          month: monthOf(next.start),
          mean: round(next.mean),
          low: round(next.low),
          high: round(next.high),
        }
      : undefined,
    byProduct: rest
      ? products
          .map(product => ({
            product,
            monthToDate: round(mtdOf(product)),
            forecastMonth: round(
              mtdOf(product) + rest.mean * (shares.get(product) ?? 0),
            ),
          }))
          .sort((a, b) => b.forecastMonth - a.forecastMonth)
      : [],
  };
}
