import Alert from '@mui/material/Alert';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import {
  MONTHLY_BUDGET_ANNOTATION,
  ProductCostSummary,
} from '@internal/cost-common';
import { KeyFigure, MutedText, Section } from '@internal/platform-react';
import {
  formatAmount,
  formatDay,
  formatMonth,
  formatPercent,
} from '../../format';

/** The sentence under the figures: when the month's spend passes (or passed) the budget. */
function crossingText(budget: NonNullable<ProductCostSummary['budget']>) {
  if (!budget.overBudget)
    return budget.forecastMonth === undefined
      ? 'Within budget so far; no forecast fetched yet'
      : 'The forecast stays within the budget';
  if (budget.crossed)
    return budget.crossesOn
      ? `Spend crossed the budget on ${formatDay(budget.crossesOn)}`
      : 'Spend is over the budget';
  return budget.crossesOn
    ? `Forecast crosses budget on ${formatDay(budget.crossesOn)}`
    : 'The forecast is over the budget';
}

/** The month against the product's monthly budget: month to date, forecast, budget, percent. */
export const BudgetSection = (props: {
  summary: ProductCostSummary;
  currency: string;
}) => {
  const { summary, currency } = props;
  const { budget } = summary;
  return (
    <Section
      title="Budget"
      subtitle={
        budget
          ? `${formatMonth(
              budget.month,
            )}: direct cost against the monthly budget${
              budget.source === 'config'
                ? ' (set in config, cost.budgets)'
                : ` (annotation ${MONTHLY_BUDGET_ANNOTATION} on the System)`
            }`
          : 'Direct cost against the monthly budget'
      }
    >
      {summary.budgetProblem && (
        <Alert severity="warning" sx={{ mb: 2 }}>
          {summary.budgetProblem}
        </Alert>
      )}
      {budget ? (
        <Stack spacing={2}>
          <Stack direction="row" spacing={4} flexWrap="wrap" useFlexGap>
            <KeyFigure label="Month to date">
              {formatAmount(budget.monthToDate, currency)}
            </KeyFigure>
            <KeyFigure label="Forecast for the month">
              {budget.forecastMonth === undefined
                ? 'No forecast yet'
                : formatAmount(budget.forecastMonth, currency)}
            </KeyFigure>
            <KeyFigure label="Budget">
              {formatAmount(budget.monthly, currency)}
            </KeyFigure>
            <KeyFigure label="Of budget">
              {formatPercent(budget.percentOfBudget)}
            </KeyFigure>
          </Stack>
          <LinearProgress
            variant="determinate"
            color={budget.overBudget ? 'error' : 'primary'}
            value={Math.min(100, budget.percentOfBudget)}
            aria-label={`${formatPercent(budget.percentOfBudget)} of budget`}
          />
          <Alert severity={budget.overBudget ? 'error' : 'success'}>
            {crossingText(budget)}
            {budget.overBudget &&
              summary.owner &&
              ". The owning team is told in the portal's notifications."}
          </Alert>
        </Stack>
      ) : (
        !summary.budgetProblem && (
          <MutedText>
            No monthly budget. Set the annotation {MONTHLY_BUDGET_ANNOTATION} on
            the System (e.g. "42000") or cost.budgets in app-config.yaml.
          </MutedText>
        )
      )}
    </Section>
  );
};
