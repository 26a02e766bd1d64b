/** The System annotation holding a product's monthly budget, in the configured currency, e.g. "42000". */
export const MONTHLY_BUDGET_ANNOTATION = 'payments-platform/monthly-budget';

/** A product's month against its monthly budget (direct spend, as the forecast splits it). */
export interface ProductBudget {
  /** The monthly budget. */
  monthly: number;
  /** Where it comes from: `cost.budgets` in config wins over the System's annotation. */
  source: 'config' | 'annotation';
  /** The current month, YYYY-MM. */
  month: string;
  monthToDate: number;
  /** Forecast for the whole month, when a forecast has been fetched. */
  forecastMonth?: number;
  /** The forecast (or, without one, the month to date) as a percent of the budget. */
  percentOfBudget: number;
  /** The forecast (or the month to date) is above the budget. */
  overBudget: boolean;
  /** The day (YYYY-MM-DD) the month's spend crossed or, on the forecast, will cross the budget. */
  crossesOn?: string;
  /** The spend already passed the budget (crossesOn is then in the past, when known). */
  crossed: boolean;
}
