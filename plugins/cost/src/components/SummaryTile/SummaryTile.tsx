import { ReactNode } from 'react';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';

/** One headline figure with what it means underneath. */
export const SummaryTile = (props: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  /** Draws the eye: for figures someone has to act on (unallocated spend, tag coverage). */
  emphasis?: 'warning' | 'info';
  children?: ReactNode;
}) => {
  const { label, value, detail, emphasis, children } = props;
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label={label}
      sx={{
        p: 2,
        height: '100%',
        borderLeftWidth: emphasis ? 4 : 1,
        borderLeftColor: emphasis ? `${emphasis}.main` : undefined,
      }}
    >
      <Typography
        variant="overline"
        color="text.secondary"
        component="h3"
        sx={{ lineHeight: 1.5 }}
      >
        {label}
      </Typography>
      <Typography
        variant="h5"
        component="div"
        sx={{ fontVariantNumeric: 'tabular-nums' }}
      >
        {value}
      </Typography>
      {detail && (
        <Typography variant="body2" color="text.secondary" component="div">
          {detail}
        </Typography>
      )}
      {children}
    </Paper>
  );
};
