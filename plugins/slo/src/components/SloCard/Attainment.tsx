import Typography from '@mui/material/Typography';
import { SloStatus } from '@internal/slo-common';
import { formatAttainment } from '../../format';

/** Attainment, or "no data": an SLO nobody measured is never shown as met. */
export const Attainment = (props: {
  slo: Pick<SloStatus, 'hasData' | 'attainment' | 'target'>;
}) => {
  const { slo } = props;
  if (!slo.hasData || slo.attainment === undefined) {
    return (
      <Typography component="span" variant="inherit" color="text.secondary">
        no data
      </Typography>
    );
  }
  return (
    <Typography
      component="span"
      variant="inherit"
      sx={{ color: slo.attainment < slo.target ? 'error.main' : 'inherit' }}
    >
      {formatAttainment(slo.attainment)}
    </Typography>
  );
};
