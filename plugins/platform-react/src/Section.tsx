import { ReactNode } from 'react';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';

/** A titled block of a page: a table, chart or group with what it shows and its actions. */
export const Section = (props: {
  title: ReactNode;
  /** The region's accessible name, when the title is not plain text. */
  label?: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) => {
  const { title, label, subtitle, actions, children } = props;
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label={label ?? (typeof title === 'string' ? title : undefined)}
      sx={{ p: 2, height: '100%' }}
    >
      <Stack
        direction="row"
        justifyContent="space-between"
        alignItems="flex-start"
        spacing={2}
        sx={{ mb: 2 }}
      >
        <div>
          <Typography variant="h6" component="h2">
            {title}
          </Typography>
          {subtitle && (
            <Typography variant="body2" color="text.secondary" component="div">
              {subtitle}
            </Typography>
          )}
        </div>
        {actions && (
          <Stack direction="row" spacing={1} flexShrink={0}>
            {actions}
          </Stack>
        )}
      </Stack>
      {children}
    </Paper>
  );
};
