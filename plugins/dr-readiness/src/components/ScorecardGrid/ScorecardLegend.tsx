import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { CHECK_STATUS } from '../../format';
import { cellStyle } from './cellStyle';

/** What the colours and markers mean, above the grid. */
export const ScorecardLegend = () => {
  const theme = useTheme();
  const swatches: Array<{
    status: keyof typeof CHECK_STATUS;
    waived?: boolean;
  }> = [
    { status: 'pass' },
    { status: 'fail' },
    { status: 'error' },
    { status: 'not_applicable' },
    { status: 'fail', waived: true },
  ];
  return (
    <Stack
      direction="row"
      spacing={2}
      flexWrap="wrap"
      useFlexGap
      alignItems="center"
      aria-label="Legend"
      component="ul"
      sx={{ listStyle: 'none', p: 0, m: 0 }}
    >
      {swatches.map(({ status, waived }) => (
        <Stack
          key={`${status}${waived ? '-waived' : ''}`}
          direction="row"
          spacing={0.75}
          alignItems="center"
          component="li"
        >
          <Box
            aria-hidden="true"
            sx={{
              ...cellStyle(theme, status, !!waived),
              width: 'auto',
              minWidth: 48,
              minHeight: 20,
              py: 0,
            }}
          >
            {CHECK_STATUS[status].label}
          </Box>
          <Typography variant="caption" color="text.secondary">
            {waived
              ? 'waived: the scan result stays visible, the score leaves it out'
              : CHECK_STATUS[status].meaning}
          </Typography>
        </Stack>
      ))}
      <Stack direction="row" spacing={0.75} alignItems="center" component="li">
        <Typography variant="body2" color="text.disabled" aria-hidden="true">
          {'\u00B7'}
        </Typography>
        <Typography variant="caption" color="text.secondary">
          not required by the service&apos;s tier; * score incomplete
        </Typography>
      </Stack>
    </Stack>
  );
};
