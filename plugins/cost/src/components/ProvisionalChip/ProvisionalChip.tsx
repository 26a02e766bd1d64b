import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';

/** Marks figures AWS still reports as Estimated: they can change until the bill closes. */
export const ProvisionalChip = () => (
  <Tooltip
    describeChild
    title="AWS still marks these figures as estimated; they can change until the month's bill closes."
  >
    <Chip
      label="provisional"
      size="small"
      variant="outlined"
      color="warning"
      sx={{ ml: 1 }}
    />
  </Tooltip>
);
