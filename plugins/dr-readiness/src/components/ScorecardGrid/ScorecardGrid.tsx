import { useState } from 'react';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import {
  ControlDefinition,
  ScorecardRow,
  TierView,
} from '@internal/dr-readiness-common';
import { wholeWords } from '@internal/platform-react';
import {
  CHECK_STATUS,
  formatDay,
  formatMinutes,
  formatScore,
  plural,
} from '../../format';
import { CellDialog } from '../CellDialog/CellDialog';
import { DrTabLink } from '../DrTabLink/DrTabLink';
import { ScoreSparkline } from '../ScoreSparkline/ScoreSparkline';
import { LevelChip, visuallyHidden } from '../StatusChips/StatusChips';
import { cellStyle } from './cellStyle';
import { rowNotice, TierGroup } from './scorecard';

/** Columns before the controls: service, team, score, trend. */
const LEAD_COLUMNS = 4;

const stickyFirst = {
  position: 'sticky',
  left: 0,
  zIndex: 1,
  // Opaque, so the sticky cell hides the cells that scroll under it.
  backgroundColor: 'background.paper',
} as const;

/** No zebra stripes in the grid: the sticky service cell could not follow them. */
const plainRow = {
  '&:nth-of-type(odd)': { backgroundColor: 'transparent' },
} as const;

/** "card-tokenisation-vault – Point-in-time recovery: fail, waived until Dec 31, 2026". */
export function cellLabel(
  row: ScorecardRow,
  control: ControlDefinition,
): string {
  const cell = row.cells[control.id];
  const base = `${row.name} \u2013 ${control.title}`;
  if (!cell) {
    return `${base}: not required by ${row.tier}`;
  }
  const waived = cell.waiver
    ? `, waived until ${formatDay(cell.waiver.expiresAt)}`
    : '';
  return `${base}: ${CHECK_STATUS[cell.status].label}${waived}`;
}

/**
 * A control's short header under its area: the id without its area prefix
 * (`rds-multi-az` -> `multi-az` under "Aurora/RDS").
 */
export function shortControlLabel(control: ControlDefinition): string {
  const dash = control.id.indexOf('-');
  return control.area && dash > 0 ? control.id.slice(dash + 1) : control.id;
}

/** Consecutive controls of one area, for the header row above the controls. */
export function areaSpans(
  controls: ControlDefinition[],
): Array<{ area: string; span: number }> {
  const spans: Array<{ area: string; span: number }> = [];
  for (const control of controls) {
    const last = spans[spans.length - 1];
    if (last && last.area === control.area) {
      last.span += 1;
    } else {
      spans.push({ area: control.area, span: 1 });
    }
  }
  return spans;
}

const ControlHeader = (props: { control: ControlDefinition }) => {
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

const ServiceRow = (props: {
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
          <Typography variant="body2" color="text.secondary">
            {notice}
          </Typography>
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

function tierHeading(group: TierGroup): string {
  const rto = group.tier
    ? ` \u00B7 RTO ${formatMinutes(
        group.tier.rtoMinutes,
      )} \u00B7 RPO ${formatMinutes(group.tier.rpoMinutes)}`
    : '';
  return `${group.title}${rto} \u00B7 ${plural(group.count, 'service')}`;
}

/**
 * Services (rows, grouped by tier then product) x controls (columns). A cell is a button: it
 * opens the explanation with the fix and a link to the evidence.
 */
export const ScorecardGrid = (props: {
  groups: TierGroup[];
  controls: ControlDefinition[];
  tiers: TierView[];
}) => {
  const { groups, controls, tiers } = props;
  const [open, setOpen] = useState<{
    row: ScorecardRow;
    control: ControlDefinition;
  }>();
  const columns = LEAD_COLUMNS + controls.length;

  return (
    <>
      <TableContainer>
        <Table
          size="small"
          aria-label="DR readiness of services by control"
          sx={wholeWords}
        >
          <TableHead>
            <TableRow>
              <TableCell
                rowSpan={2}
                sx={{
                  ...stickyFirst,
                  zIndex: 3,
                  backgroundColor: 'background.paper',
                  verticalAlign: 'bottom',
                }}
              >
                Service
              </TableCell>
              <TableCell rowSpan={2} sx={{ verticalAlign: 'bottom' }}>
                Team
              </TableCell>
              <TableCell rowSpan={2} sx={{ verticalAlign: 'bottom' }}>
                Score
              </TableCell>
              <TableCell rowSpan={2} sx={{ verticalAlign: 'bottom' }}>
                Trend
              </TableCell>
              {areaSpans(controls).map((span, index) => (
                <TableCell
                  key={`${span.area}-${index}`}
                  component="th"
                  scope="colgroup"
                  colSpan={span.span}
                  align="center"
                  sx={{
                    borderLeft: 1,
                    borderColor: 'divider',
                    fontSize: 'caption.fontSize',
                    fontWeight: 700,
                    whiteSpace: 'nowrap',
                  }}
                >
                  {span.area || 'Other'}
                </TableCell>
              ))}
            </TableRow>
            <TableRow>
              {controls.map(control => (
                <ControlHeader key={control.id} control={control} />
              ))}
            </TableRow>
          </TableHead>
          {groups.map(group => (
            <TableBody key={group.tierId} aria-label={group.title}>
              <TableRow>
                <TableCell
                  component="th"
                  scope="rowgroup"
                  colSpan={columns}
                  sx={{ bgcolor: 'action.hover' }}
                >
                  <Typography variant="subtitle1" component="span">
                    {tierHeading(group)}
                  </Typography>
                </TableCell>
              </TableRow>
              {group.products.flatMap(product => [
                <TableRow
                  key={`product:${product.product ?? ''}`}
                  sx={plainRow}
                >
                  <TableCell
                    component="th"
                    scope="rowgroup"
                    colSpan={columns}
                    sx={{ pl: 2, fontWeight: 500, color: 'text.secondary' }}
                  >
                    {product.product ?? 'No product'}
                  </TableCell>
                </TableRow>,
                ...product.rows.map(row => (
                  <ServiceRow
                    key={row.entityRef}
                    row={row}
                    controls={controls}
                    onOpen={(r, control) => setOpen({ row: r, control })}
                  />
                )),
              ])}
            </TableBody>
          ))}
        </Table>
      </TableContainer>
      {open && (
        <CellDialog
          row={open.row}
          control={open.control}
          tier={tiers.find(t => t.id === open.row.tier)}
          onClose={() => setOpen(undefined)}
        />
      )}
    </>
  );
};

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
