import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  CHARGE_RECORD_TYPES,
  ChargeSpreadRule,
  TAGGABLE_RECORD_TYPES,
} from './chargeTypes';

/** A configured exchange rate: amounts AWS reports in `from` are shown in `to` at `rate` (`cost.exchangeRate`). */
export interface ExchangeRate {
  from: string;
  to: string;
  rate: number;
  /** The day the rate is from (YYYY-MM-DD), shown with every converted figure. */
  asOf: string;
}

function fail(key: string, problem: string): never {
  throw new InputError(`Invalid config ${key}: ${problem}`);
}

const SPREADS = ['proportional', 'even'];
const CURRENCY = /^[A-Z]{3}$/;

/** `cost.chargeSpread`: which charges (by RECORD_TYPE) are spread over products, and how. */
export function readChargeSpread(config: Config): ChargeSpreadRule[] {
  const seen = new Set<string>();
  return (config.getOptionalConfigArray('cost.chargeSpread') ?? []).map(
    (rule, i) => {
      const key = `cost.chargeSpread[${i}]`;
      const recordTypes = rule.getOptionalStringArray('recordTypes');
      if (!recordTypes || recordTypes.length === 0)
        fail(
          `${key}.recordTypes`,
          `is required: the RECORD_TYPE values to spread, e.g. [Support, Credit]; one of ${CHARGE_RECORD_TYPES.join(
            ', ',
          )}`,
        );
      for (const recordType of recordTypes) {
        if (TAGGABLE_RECORD_TYPES.includes(recordType))
          fail(
            `${key}.recordTypes`,
            `'${recordType}' is usage that tags already allocate; spread only charges such as Support, Credit or Tax`,
          );
        if (!CHARGE_RECORD_TYPES.includes(recordType))
          fail(
            `${key}.recordTypes`,
            `'${recordType}' is not a Cost Explorer RECORD_TYPE of a charge; use ${CHARGE_RECORD_TYPES.join(
              ', ',
            )} (case as written)`,
          );
        if (seen.has(recordType))
          fail(
            `${key}.recordTypes`,
            `'${recordType}' is already spread by an earlier rule; list each record type once`,
          );
        seen.add(recordType);
      }
      const split = rule.getOptionalString('split') ?? 'proportional';
      if (!SPREADS.includes(split))
        fail(
          `${key}.split`,
          `'${split}' is not a spread; use proportional (to each product's direct spend) or even`,
        );
      return { recordTypes, split: split as ChargeSpreadRule['split'] };
    },
  );
}

/** `cost.exchangeRate`: how amounts AWS reports in one currency are converted into `cost.currency`. */
export function readExchangeRate(
  config: Config,
  currency: string,
): ExchangeRate | undefined {
  const entry = config.getOptionalConfig('cost.exchangeRate');
  if (!entry) return undefined;
  const key = 'cost.exchangeRate';
  const code = (field: string) => {
    const value = entry.getOptionalString(field);
    if (!value || !CURRENCY.test(value))
      fail(
        `${key}.${field}`,
        `${
          value ? `'${value}'` : 'is missing; it'
        } must be a three-letter ISO 4217 currency code in capitals, e.g. USD`,
      );
    return value;
  };
  const from = code('from');
  const to = code('to');
  if (to !== currency)
    fail(
      `${key}.to`,
      `'${to}' differs from cost.currency '${currency}'; the rate must convert into the currency the portal shows`,
    );
  if (from === to)
    fail(
      `${key}.from`,
      `'${from}' is the same as to; remove cost.exchangeRate`,
    );
  const rate = entry.getOptionalNumber('rate');
  if (rate === undefined || !Number.isFinite(rate) || rate <= 0)
    fail(
      `${key}.rate`,
      `${
        rate ?? 'is missing; it'
      } must be a positive number: ${to} per 1 ${from}`,
    );
  const asOf = entry.getOptionalString('asOf');
  if (
    !asOf ||
    !/^\d{4}-\d{2}-\d{2}$/.test(asOf) ||
    Number.isNaN(Date.parse(asOf))
  )
    fail(
      `${key}.asOf`,
      `${
        asOf ? `'${asOf}'` : 'is missing; it'
      } must be the day the rate is from, written YYYY-MM-DD`,
    );
  return { from, to, rate, asOf };
}
