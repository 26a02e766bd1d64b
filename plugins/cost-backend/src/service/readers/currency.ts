import type { CurrencyNote } from '@internal/cost-common';
import type { CostReads } from '../../database/CostStore';
import type { ExchangeRate } from '../chargeSettings';

/** What the amounts on a page are in, and the factor from AWS's amounts to them. */
export interface MoneyView {
  currency: string;
  factor: number;
  note?: CurrencyNote;
}

/** ISO 4217's code for "no currency": amounts that add several currencies are in none. */
const NO_CURRENCY = 'XXX';

/**
 * Never relabels: amounts are shown in the unit AWS reported them in, unless a configured rate
 * converts that unit into `cost.currency`, and then the page says so (rate and its date). Before
 * any unit was read, AWS's own (USD, what Cost Explorer prices in) is assumed.
 */
export function moneyView(
  configured: string,
  reportedUnits: string[],
  rate: ExchangeRate | undefined,
): MoneyView {
  const units =
    reportedUnits.length > 0 ? [...new Set(reportedUnits)].sort() : ['USD'];
  const base = { configured, awsUnits: units };
  if (units.length === 1 && units[0] === configured)
    return { currency: configured, factor: 1 };
  if (units.length > 1)
    return {
      currency: NO_CURRENCY,
      factor: 1,
      note: {
        ...base,
        shownIn: NO_CURRENCY,
        message: `AWS reported amounts in several currencies (${units.join(
          ', ',
        )}) across the accounts read; totals add them as reported and are in no single currency. Read accounts billed in different currencies separately.`,
      },
    };
  const [unit] = units;
  if (rate && rate.from === unit && rate.to === configured)
    return {
      currency: configured,
      factor: rate.rate,
      note: {
        ...base,
        shownIn: configured,
        conversion: { ...rate },
        message: `Converted from ${unit}, the currency AWS reports, at ${rate.rate} ${configured} per ${unit} (rate of ${rate.asOf}, cost.exchangeRate).`,
      },
    };
  return {
    currency: unit,
    factor: 1,
    note: {
      ...base,
      shownIn: unit,
      message: `AWS reports these amounts in ${unit}, not ${configured} (cost.currency): they are shown in ${unit}. To show ${configured}, set cost.exchangeRate {from: ${unit}, to: ${configured}, rate, asOf}.`,
    },
  };
}

/** The store with every amount it returns multiplied by `factor` (a configured exchange rate). */
export function convertedReads(store: CostReads, factor: number): CostReads {
  const scale = (n: number) => n * factor;
  const overrides: Partial<CostReads> = {
    facts: async (...args) =>
      (await store.facts(...args)).map(r => ({
        ...r,
        amount: scale(r.amount),
      })),
    totalsByKey1: async (...args) =>
      (await store.totalsByKey1(...args)).map(r => ({
        ...r,
        amount: scale(r.amount),
      })),
    forecasts: async () =>
      (await store.forecasts()).map(p => ({
        ...p,
        mean: scale(p.mean),
        low: scale(p.low),
        high: scale(p.high),
      })),
    anomalies: async () =>
      (await store.anomalies()).map(a => ({
        ...a,
        actual: scale(a.actual),
        expected: scale(a.expected),
        impact: scale(a.impact),
        rootCauses: a.rootCauses?.map(c => ({
          ...c,
          contribution:
            c.contribution === undefined ? undefined : scale(c.contribution),
        })),
      })),
  };
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name in overrides) return (overrides as any)[name];
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
