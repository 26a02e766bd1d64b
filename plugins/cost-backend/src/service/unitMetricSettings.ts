import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { UnitMetric } from './readers/types';

function fail(key: string, problem: string): never {
  throw new InputError(`Invalid config ${key}: ${problem}`);
}

/**
 * Reads `cost.unitMetrics[]`: per product, a business metric with static figures (`monthly`,
 * `everyMonth`) or a PromQL `query` read from Prometheus; every problem names the key and the fix.
 */
export function readUnitMetrics(config: Config): UnitMetric[] {
  return (config.getOptionalConfigArray('cost.unitMetrics') ?? []).map(
    (entry, i) => {
      const key = `cost.unitMetrics[${i}]`;
      const monthly = {
        ...(entry.getOptional<Record<string, number>>('monthly') ?? {}),
      };
      for (const month of Object.keys(monthly)) {
        if (!/^\d{4}-\d{2}$/.test(month))
          fail(`${key}.monthly`, `has '${month}'; months are written YYYY-MM`);
      }
      const everyMonth = entry.getOptionalNumber('everyMonth');
      if (everyMonth !== undefined && !(everyMonth > 0))
        fail(`${key}.everyMonth`, `${everyMonth} must be a positive number`);
      const query = entry.getOptionalString('query');
      const figures =
        Object.keys(monthly).length > 0 || everyMonth !== undefined;
      if (query !== undefined && figures)
        fail(
          key,
          'has a query and static figures; give either query (PromQL read from Prometheus) or monthly/everyMonth',
        );
      if (query !== undefined && query.trim() === '')
        fail(
          `${key}.query`,
          "is empty; write the PromQL of the month's units, e.g. sum(increase(payments_total[$__range]))",
        );
      if (query === undefined && !figures)
        fail(key, 'needs query (PromQL), monthly figures or everyMonth');
      return {
        product: entry.getString('product'),
        metric: entry.getString('metric'),
        monthly,
        everyMonth,
        query,
      };
    },
  );
}
