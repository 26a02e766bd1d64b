import { useState } from 'react';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import {
  ControlDefinition,
  ScorecardRow,
  TierView,
} from '@internal/dr-readiness-common';
import { wholeWords } from '@internal/platform-react';
import { CellDialog } from '../CellDialog/CellDialog';
import { TierGroup } from './scorecard';

import { areaSpans, tierHeading } from './gridLabels';
import {
  ControlHeader,
  LEAD_COLUMNS,
  plainRow,
  ServiceRow,
  stickyFirst,
} from './GridRows';

export { cellLabel, shortControlLabel, areaSpans } from './gridLabels';
export { ScorecardLegend } from './ScorecardLegend';

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
