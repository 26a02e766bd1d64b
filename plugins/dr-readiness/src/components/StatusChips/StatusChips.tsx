import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { CheckStatus, ReadinessLevel } from '@internal/dr-readiness-common';
import { CHECK_STATUS, LEVEL } from '../../format';

/** Readiness against the tier: green ready, amber partial, red not ready, grey unknown. */
export const LevelChip = (props: { level: ReadinessLevel }) => {
  const { label, colour } = LEVEL[props.level];
  return (
    <Chip
      size="small"
      label={label}
      color={colour}
      variant={props.level === 'unknown' ? 'outlined' : 'filled'}
      sx={{ fontWeight: 500 }}
    />
  );
};

/** A control's status: pass, fail, unknown (the scan could not tell) or n/a. */
export const CheckStatusChip = (props: { status: CheckStatus }) => {
  const { label, colour, meaning } = CHECK_STATUS[props.status];
  return (
    <Tooltip title={meaning} describeChild>
      <Chip
        size="small"
        label={label}
        color={colour}
        variant={props.status === 'not_applicable' ? 'outlined' : 'filled'}
        sx={{ fontWeight: 500 }}
      />
    </Tooltip>
  );
};

/** Text only screen readers read. */
export const visuallyHidden = {
  border: 0,
  clip: 'rect(0 0 0 0)',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  padding: 0,
  position: 'absolute',
  whiteSpace: 'nowrap',
  width: '1px',
} as const;
