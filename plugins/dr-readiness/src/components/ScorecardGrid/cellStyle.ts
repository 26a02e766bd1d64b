import { Theme } from '@mui/material/styles';
import { CheckStatus } from '@internal/dr-readiness-common';

/** Diagonal stripes over a waived cell: the status colour stays, the marker says "waived". */
const WAIVED_STRIPES =
  'repeating-linear-gradient(135deg, rgba(255,255,255,0.38) 0 4px, transparent 4px 9px)';

/** A cell of the grid coloured by its status: pass green, fail red, unknown amber, n/a grey. */
export function cellStyle(theme: Theme, status: CheckStatus, waived: boolean) {
  const palette = {
    pass: theme.palette.success,
    fail: theme.palette.error,
    error: theme.palette.warning,
    not_applicable: undefined,
  }[status];
  const background = palette?.main ?? theme.palette.action.selected;
  const colour = palette?.contrastText ?? theme.palette.text.secondary;
  return {
    width: '100%',
    minWidth: 44,
    minHeight: 30,
    px: 0.25,
    py: 0.5,
    borderRadius: 1,
    display: 'flex',
    flexDirection: 'column' as const,
    alignItems: 'center',
    justifyContent: 'center',
    fontSize: theme.typography.caption.fontSize,
    fontWeight: 500,
    lineHeight: 1.2,
    color: colour,
    backgroundColor: background,
    backgroundImage: waived ? WAIVED_STRIPES : undefined,
    outline: waived ? `2px dashed ${theme.palette.text.primary}` : undefined,
    outlineOffset: waived ? '-3px' : undefined,
    '&:hover': { filter: 'brightness(0.92)' },
    '&.Mui-focusVisible': {
      boxShadow: `0 0 0 3px ${theme.palette.primary.main}`,
    },
  };
}
