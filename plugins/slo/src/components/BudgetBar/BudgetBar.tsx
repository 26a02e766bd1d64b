import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { formatBudget } from '../../format';
import { MutedText } from '@internal/platform-react';

/** Below this share of budget left the bar turns amber. */
const LOW_BUDGET = 0.25;

function budgetColour(remaining: number, exhausted: boolean) {
  if (exhausted || remaining <= 0) {
    return 'error' as const;
  }
  return remaining < LOW_BUDGET ? ('warning' as const) : ('success' as const);
}

/**
 * Error budget left as a bar and a percentage: red and "exhausted" once spent (the figure goes
 * negative when overspent), amber when low. Without data it says so, never 100%.
 */
export const BudgetBar = (props: {
  /** Share left (1 = untouched); undefined when there is no data. */
  remaining: number | undefined;
  exhausted?: boolean;
  /** Why there is no data, shown in its place. */
  noDataLabel?: string;
  width?: number | string;
}) => {
  const {
    remaining,
    exhausted = false,
    noDataLabel = 'no data',
    width = '100%',
  } = props;
  if (remaining === undefined) {
    return (
      <Stack spacing={0.5} sx={{ width }}>
        <MutedText>{noDataLabel}</MutedText>
        <LinearProgress
          variant="determinate"
          value={0}
          color="inherit"
          aria-hidden="true"
          sx={{ height: 6, borderRadius: 3, color: 'action.disabled' }}
        />
      </Stack>
    );
  }
  const spent = exhausted || remaining <= 0;
  const colour = budgetColour(remaining, exhausted);
  return (
    <Stack spacing={0.5} sx={{ width }}>
      <Stack direction="row" spacing={1} alignItems="baseline">
        <Typography
          variant="body2"
          component="span"
          sx={{
            fontWeight: 500,
            fontVariantNumeric: 'tabular-nums',
            color: spent ? 'error.main' : 'text.primary',
            whiteSpace: 'nowrap',
          }}
        >
          {formatBudget(remaining)}
        </Typography>
        {spent && (
          <Typography
            variant="caption"
            component="span"
            sx={{ color: 'error.main', fontWeight: 500 }}
          >
            exhausted
          </Typography>
        )}
      </Stack>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, Math.max(0, remaining * 100))}
        color={colour}
        aria-hidden="true"
        sx={{ height: 6, borderRadius: 3 }}
      />
    </Stack>
  );
};
