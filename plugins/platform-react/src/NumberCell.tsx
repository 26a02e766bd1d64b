import TableCell, { TableCellProps } from '@mui/material/TableCell';

/** A right-aligned table cell for amounts and percentages: digits line up and never wrap. */
export const NumberCell = (props: Omit<TableCellProps, 'align' | 'sx'>) => (
  <TableCell
    align="right"
    sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}
    {...props}
  />
);

/**
 * For our tables' `sx`: the Backstage theme breaks table text anywhere (`break-word`), which
 * splits names like "money-movement" mid-word in narrow columns; break between words instead.
 */
export const wholeWords = { '& td, & th': { wordBreak: 'normal' } } as const;
