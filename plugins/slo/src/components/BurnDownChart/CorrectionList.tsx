import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { SloCorrection } from '@internal/slo-common';
import { entityName, formatDateTime } from '@internal/platform-react';

/** A correction's range, e.g. `Dec 1, 02:00 – Dec 1, 03:30`. */
export const correctionRange = (c: SloCorrection) =>
  `${formatDateTime(c.from)} \u2013 ${formatDateTime(c.to)}`;

/** Corrections of an SLO: range, category, reason, who recorded (and revoked) each. */
export const CorrectionList = (props: {
  corrections: SloCorrection[];
  label: string;
  /** A button per correction (revoke), when the viewer may. */
  action?: (correction: SloCorrection) => React.ReactNode;
}) => {
  const { corrections, label, action } = props;
  if (corrections.length === 0) return null;
  return (
    <Box
      component="ul"
      aria-label={label}
      sx={{ listStyle: 'none', m: 0, p: 0 }}
    >
      {corrections.map(c => (
        <Box
          component="li"
          key={c.id}
          sx={{ py: 0.25, color: c.revokedAt ? 'text.secondary' : undefined }}
        >
          <Typography variant="body2" component="div">
            <Chip
              size="small"
              variant="outlined"
              label={`correction: ${c.category}`}
              sx={{ mr: 1, height: 20 }}
            />
            <span
              style={{
                textDecoration: c.revokedAt ? 'line-through' : undefined,
              }}
            >
              {correctionRange(c)}: {c.reason}
            </span>
            {action?.(c)}
          </Typography>
          <Typography variant="caption" color="text.secondary" component="div">
            left out of the budget &middot; recorded by{' '}
            <span title={c.author}>{entityName(c.author)}</span>,{' '}
            <time dateTime={c.createdAt}>{formatDateTime(c.createdAt)}</time>
            {c.revokedAt &&
              ` \u00B7 revoked by ${entityName(
                c.revokedBy ?? 'unknown',
              )}, ${formatDateTime(c.revokedAt)}`}
          </Typography>
        </Box>
      ))}
    </Box>
  );
};
