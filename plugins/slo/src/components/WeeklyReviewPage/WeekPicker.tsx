import { useNavigate } from 'react-router-dom';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import { useRouteRef } from '@backstage/core-plugin-api';
import { WeeklyReview } from '@internal/slo-common';
import { reviewWeekRouteRef } from '../../routes';
import { formatWeek } from '../../format';
import { reviewWeeks } from './reviewGroups';

/** The previous and next week, and any week with a review, by its dates. */
export const WeekPicker = (props: { review: WeeklyReview }) => {
  const { review } = props;
  const navigate = useNavigate();
  const weekLink = useRouteRef(reviewWeekRouteRef);
  const weeks = reviewWeeks(review);
  const index = weeks.indexOf(review.week);
  const older = weeks[index + 1];
  const newer = index > 0 ? weeks[index - 1] : undefined;
  const go = (week: string) => navigate(weekLink({ week }));
  return (
    <Stack direction="row" spacing={1} alignItems="center">
      <Button size="small" disabled={!older} onClick={() => older && go(older)}>
        <span aria-hidden="true">{'\u2190'}&nbsp;</span>Previous week
      </Button>
      <FormControl size="small" sx={{ minWidth: 220 }}>
        <InputLabel id="slo-review-week">Week</InputLabel>
        <Select
          labelId="slo-review-week"
          label="Week"
          value={review.week}
          onChange={event => go(event.target.value)}
        >
          {weeks.map(week => (
            <MenuItem key={week} value={week}>
              {formatWeek(week)}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <Button size="small" disabled={!newer} onClick={() => newer && go(newer)}>
        Next week<span aria-hidden="true">&nbsp;{'\u2192'}</span>
      </Button>
    </Stack>
  );
};
