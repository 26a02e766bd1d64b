import Typography from '@mui/material/Typography';
import { formatChange } from '../../format';

function describe(percent: number | null): string {
  if (percent === null) {
    return 'no cost the month before';
  }
  if (percent > 0) {
    return 'up on the month before';
  }
  return percent < 0 ? 'down on the month before' : 'same as the month before';
}

function colour(percent: number | null): string {
  if (percent === null || Math.abs(percent) < 0.05) {
    return 'text.secondary';
  }
  // Spend going up is what a lead has to look at.
  return percent > 0 ? 'error.main' : 'success.main';
}

/** Last full month vs the month before: red when spend went up, green when it went down. */
export const MonthOverMonth = (props: {
  percent: number | null;
  variant?: 'body2' | 'h6' | 'h5';
}) => {
  const { percent, variant = 'body2' } = props;
  let arrow = '';
  if (percent !== null && Math.abs(percent) >= 0.05) {
    arrow = percent > 0 ? '\u25B2 ' : '\u25BC ';
  }
  return (
    <Typography
      component="span"
      variant={variant}
      sx={{
        color: colour(percent),
        whiteSpace: 'nowrap',
        fontVariantNumeric: 'tabular-nums',
      }}
      title={describe(percent)}
    >
      <span aria-hidden="true">{arrow}</span>
      {formatChange(percent)}
    </Typography>
  );
};
