import { ReactNode } from 'react';
import Typography from '@mui/material/Typography';

/** A quiet line of text: what is missing, what a figure means, a note beside a table. */
export const MutedText = (props: { children: ReactNode }) => (
  <Typography variant="body2" color="text.secondary">
    {props.children}
  </Typography>
);
