import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  MONTHLY_BUDGET_ANNOTATION,
  type ProductBudget,
} from '@internal/cost-common';
import { addDays, monthStart } from './dates';

/** A monthly budget set in config (`cost.budgets[]`). */
export interface ConfiguredBudget {
  product: string;
  monthly: number;
}

/**
 * Reads `cost.budgets[]`: `{ product, monthly }`, one entry per product. Every problem names the
 * key and the fix, and stops the backend at start-up as other cost settings do.
 */
export function readBudgetConfig(config: Config): ConfiguredBudget[] {
  const seen = new Set<string>();
  return (config.getOptionalConfigArray('cost.budgets') ?? []).map(
    (entry, i) => {
      const key = `cost.budgets[${i}]`;
      const product = entry.getOptionalString('product');
      if (!product)
        throw new InputError(
          `Invalid config ${key}.product: missing; name the product (the System's name, e.g. payouts)`,
        );
      if (seen.has(product))
        throw new InputError(
          `Invalid config ${key}.product: '${product}' has a budget already; give each product one entry`,
        );
      seen.add(product);
      const raw = entry.getOptional('monthly');
      const monthly = typeof raw === 'string' ? Number(raw) : raw;
      if (
        typeof monthly !== 'number' ||
        !Number.isFinite(monthly) ||
        monthly <= 0
      )
        throw new InputError(
          `Invalid config ${key}.monthly: ${JSON.stringify(
            raw,
          )} is not a budget; write the monthly budget as a positive number in cost.currency, e.g. 42000`,
        );
      return { product, monthly };
    },
  );
}

/** A product's budget as the catalog and config give it, or why the annotation could not be read. */
export type BudgetSetting =
  | { monthly: number; source: 'config' | 'annotation' }
  | { problem: string }
  | undefined;

/**
 * Config wins over the annotation: a budget set centrally (finance, in config) overrides what the
 * team wrote on its System, and the page says which one applies.
 */
export function budgetSetting(
  product: string,
  configured: ConfiguredBudget[] | undefined,
  system: { ref: string; budgetAnnotation?: string } | undefined,
): BudgetSetting {
  const fromConfig = configured?.find(b => b.product === product);
  if (fromConfig) return { monthly: fromConfig.monthly, source: 'config' };
  const raw = system?.budgetAnnotation;
  if (raw === undefined) return undefined;
  const monthly = Number(raw.replace(/[,_\s]/g, ''));
  if (raw.trim() === '' || !Number.isFinite(monthly) || monthly <= 0)
    return {
      problem: `The annotation ${MONTHLY_BUDGET_ANNOTATION} on ${
        system!.ref
      } is '${raw}': write the monthly budget as a positive number, e.g. "42000"`,
    };
  return { monthly, source: 'annotation' };
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The current month against a budget. Not yet crossed, the crossing day is the day the forecast's
 * rest of the month, spread evenly over the days left, reaches the budget; already crossed, the
 * product page reads the day from the daily spend (crossedOnDay).
 */
export function budgetStatus(input: {
  monthly: number;
  source: 'config' | 'annotation';
  today: string;
  monthToDate: number;
  forecastMonth?: number;
}): ProductBudget {
  const { monthly, today, monthToDate, forecastMonth } = input;
  const month = today.slice(0, 7);
  const judged = forecastMonth ?? monthToDate;
  const crossed = monthToDate >= monthly;
  let crossesOn: string | undefined;
  if (!crossed && forecastMonth !== undefined && forecastMonth > monthly) {
    const monthEnd = monthStart(today, 1);
    const daysLeft = Math.round(
      (Date.parse(`${monthEnd}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) /
        86_400_000,
    );
    const perDay = (forecastMonth - monthToDate) / daysLeft;
    const days = Math.ceil((monthly - monthToDate) / perDay);
    crossesOn = addDays(today, Math.min(daysLeft, Math.max(1, days)) - 1);
  }
  return {
    monthly: round(monthly),
    source: input.source,
    month,
    monthToDate: round(monthToDate),
    forecastMonth:
      forecastMonth === undefined ? undefined : round(forecastMonth),
    percentOfBudget: Math.round((judged / monthly) * 1000) / 10,
    overBudget: judged > monthly,
    crossesOn,
    crossed,
  };
}

/** A budget already crossed, with the day it happened read from the month's daily spend. */
export function crossedOnDay(
  budget: ProductBudget,
  daily: Array<{ day: string; amount: number }>,
): ProductBudget {
  if (!budget.crossed) return budget;
  let sum = 0;
  for (const d of daily.filter(x => x.day.startsWith(budget.month))) {
    sum += d.amount;
    if (sum >= budget.monthly) return { ...budget, crossesOn: d.day };
  }
  return budget;
}
