import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Stack from '@mui/material/Stack';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { ControlDefinition, ScorecardRow } from '@internal/dr-readiness-common';
import { CHECK_STATUS, formatScore } from '../../format';
import { DrTabLink } from '../DrTabLink/DrTabLink';
import { ScoreSparkline } from '../ScoreSparkline/ScoreSparkline';
import { LevelChip, visuallyHidden } from '../StatusChips/StatusChips';
import { cellStyle } from './cellStyle';
import { rowNotice } from './scorecard';

import { cellLabel, shortControlLabel } from './gridLabels';
import { MutedText } from '@internal/platform-react';

/** Columns before the controls: service, team, score, trend. */
export const LEAD_COLUMNS = 4;

export const stickyFirst = {
  position: 'sticky',
  left: 0,
  zIndex: 1,
  // Opaque, so the sticky cell hides the cells that scroll under it.
  backgroundColor: 'background.paper',
} as const;

/** No zebra stripes in the grid: the sticky service cell could not follow them. */
export const plainRow = {
  '&:nth-of-type(odd)': { backgroundColor: 'transparent' },
} as const;

export const ControlHeader = (props: { control: ControlDefinition }) => {
  const { control } = props;
  const full = control.area
    ? `${control.title} (${control.area}): ${control.id}`
    : control.title;
  return (
    <TableCell
      component="th"
      scope="col"
      align="center"
      sx={{ minWidth: 52, maxWidth: 72, verticalAlign: 'bottom', px: 0.25 }}
    >
      <Tooltip title={full}>
        <Box
          component="span"
          tabIndex={0}
          aria-label={control.title}
          sx={{
            fontSize: 'caption.fontSize',
            textDecoration: 'underline dotted',
            cursor: 'help',
          }}
        >
          {shortControlLabel(control)}
        </Box>
      </Tooltip>
    </TableCell>
  );
};

const GridCell = (props: {
  row: ScorecardRow;
  control: ControlDefinition;
  onOpen: () => void;
}) => {
  const { row, control, onOpen } = props;
  const theme = useTheme();
  const cell = row.cells[control.id];
  if (!cell) {
    return (
      <TableCell align="center" sx={{ color: 'text.disabled', px: 0.5 }}>
        <span aria-hidden="true">{'\u00B7'}</span>
        <Box component="span" sx={visuallyHidden}>
          {cellLabel(row, control)}
        </Box>
      </TableCell>
    );
  }
  return (
    <TableCell sx={{ p: 0.25 }}>
      <ButtonBase
        aria-label={cellLabel(row, control)}
        aria-haspopup="dialog"
        title={cell.summary}
        onClick={onOpen}
        sx={cellStyle(theme, cell.status, !!cell.waiver)}
      >
        <span>{CHECK_STATUS[cell.status].label}</span>
        {cell.waiver && (
          <Box
            component="span"
            aria-hidden="true"
            sx={{ fontSize: '0.68rem', fontStyle: 'italic', fontWeight: 700 }}
          >
            waived
          </Box>
        )}
      </ButtonBase>
    </TableCell>
  );
};

export const ServiceRow = (props: {
  row: ScorecardRow;
  controls: ControlDefinition[];
  onOpen: (row: ScorecardRow, control: ControlDefinition) => void;
}) => {
  const { row, controls, onOpen } = props;
  const notice = rowNotice(row);
  const incomplete = row.score.incomplete && !notice;
  return (
    <TableRow hover sx={plainRow}>
      <TableCell
        component="th"
        scope="row"
        sx={{ ...stickyFirst, pl: 4, whiteSpace: 'nowrap' }}
      >
        <DrTabLink entityRef={row.entityRef}>{row.name}</DrTabLink>
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        {row.team ?? '\u2014'}
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        <Stack direction="row" spacing={1} alignItems="center">
          <Typography
            variant="body2"
            component="span"
            sx={{ fontVariantNumeric: 'tabular-nums', minWidth: '3.5em' }}
            title={
              incomplete
                ? 'Some controls could not be checked: the score may be better or worse'
                : undefined
            }
          >
            {formatScore(row.score.score)}
            {incomplete && (
              <>
                <span aria-hidden="true">*</span>
                <Box component="span" sx={visuallyHidden}>
                  {' '}
                  (incomplete)
                </Box>
              </>
            )}
          </Typography>
          <LevelChip level={row.score.level} />
        </Stack>
      </TableCell>
      <TableCell>
        <ScoreSparkline trend={row.trend} />
      </TableCell>
      {notice ? (
        <TableCell colSpan={controls.length}>
          <MutedText>{notice}</MutedText>
        </TableCell>
      ) : (
        controls.map(control => (
          <GridCell
            key={control.id}
            row={row}
            control={control}
            onOpen={() => onOpen(row, control)}
          />
        ))
      )}
    </TableRow>
  );
};
