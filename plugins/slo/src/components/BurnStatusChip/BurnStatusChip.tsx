import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { SloBurnStatus } from '@internal/slo-common';

/** How each burn-rate status reads, its colour, and how urgent it is (for "worst first"). */
export const BURN_STATUS: Record<
  SloBurnStatus,
  {
    label: string;
    colour: 'error' | 'warning' | 'success' | 'default';
    severity: number;
  }
> = {
  page: { label: 'fast burn \u2014 page', colour: 'error', severity: 3 },
  ticket: { label: 'slow burn \u2014 ticket', colour: 'warning', severity: 2 },
  // Worse than ok: an SLO nobody can measure needs someone to look at it.
  'no-data': { label: 'no data', colour: 'default', severity: 1 },
  ok: { label: 'ok', colour: 'success', severity: 0 },
};

/** The burn-rate alert status: red page, amber ticket, green ok, grey no data. */
export const BurnStatusChip = (props: {
  status: SloBurnStatus;
  /** Why: shown on hover and focus. */
  message?: string;
}) => {
  const { status, message } = props;
  const { label, colour } = BURN_STATUS[status];
  const chip = (
    <Chip
      size="small"
      label={label}
      color={colour}
      variant={status === 'no-data' ? 'outlined' : 'filled'}
      sx={{ fontWeight: 500 }}
    />
  );
  return message ? (
    <Tooltip title={message} describeChild>
      {chip}
    </Tooltip>
  ) : (
    chip
  );
};
