import { ReactNode } from 'react';
import Typography from '@mui/material/Typography';

/** A figure under its label, e.g. "Month to date" over "$4,120"; digits line up. */
export const KeyFigure = (props: { label: string; children: ReactNode }) => (
  <div>
    <Typography variant="caption" color="text.secondary" component="div">
      {props.label}
    </Typography>
    <Typography
      variant="h6"
      component="div"
      sx={{ fontVariantNumeric: 'tabular-nums' }}
    >
      {props.children}
    </Typography>
  </div>
);
