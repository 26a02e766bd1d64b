import { ReactNode, useId, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { alpha, Theme } from '@mui/material/styles';
import { FileChange } from '@internal/golden-paths-common';
import { MutedText } from '@internal/platform-react';
import { isConflict, PatchLine, patchLines } from '../../format';
import { OutcomeChip } from '../StatusChips/StatusChips';

const lineStyle = (kind: PatchLine['kind']) => (theme: Theme) => {
  switch (kind) {
    case 'added':
      return { bgcolor: alpha(theme.palette.success.main, 0.12) };
    case 'removed':
      return { bgcolor: alpha(theme.palette.error.main, 0.12) };
    case 'marker':
      return {
        bgcolor: alpha(theme.palette.warning.main, 0.3),
        fontWeight: 700,
      };
    case 'hunk':
      return { color: theme.palette.text.secondary };
    default:
      return {};
  }
};

/** A unified diff, one line a row: added green, removed red, conflict markers amber. */
export const PatchView = (props: { patch: string; label: string }) => {
  const lines = patchLines(props.patch);
  if (lines.length === 0) {
    return <MutedText>No text changes to show.</MutedText>;
  }
  return (
    <Box
      component="pre"
      role="region"
      aria-label={props.label}
      sx={{
        m: 0,
        p: 1,
        overflowX: 'auto',
        fontFamily: 'monospace',
        fontSize: '0.8125rem',
        lineHeight: 1.5,
        border: 1,
        borderColor: 'divider',
        borderRadius: 1,
      }}
    >
      {lines.map((line, index) => (
        <Box
          component="span"
          key={index}
          data-line={line.kind}
          sx={[
            { display: 'block', px: 1, whiteSpace: 'pre' },
            lineStyle(line.kind),
          ]}
        >
          {line.text || ' '}
        </Box>
      ))}
    </Box>
  );
};

/**
 * One changed file: its path (and where a rename came from), what the merge did, the reviewer's
 * note, actions (e.g. resolving a conflict) and its diff, which can be hidden.
 */
export const FileDiff = (props: {
  file: FileChange;
  /** Shown open at first (conflicts always are). */
  open?: boolean;
  actions?: ReactNode;
}) => {
  const { file, actions } = props;
  const conflict = isConflict(file);
  const [open, setOpen] = useState(props.open ?? true);
  const diffId = useId();
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label={file.path}
      sx={theme => ({
        p: 1.5,
        ...(conflict
          ? {
              borderColor: theme.palette.error.main,
              borderLeftWidth: 4,
            }
          : {}),
      })}
    >
      <Stack
        direction="row"
        spacing={1}
        alignItems="center"
        useFlexGap
        flexWrap="wrap"
      >
        <Typography
          variant="subtitle2"
          component="h3"
          sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
        >
          {file.path}
        </Typography>
        <OutcomeChip outcome={file.outcome} />
        {file.previousPath && <MutedText>(was {file.previousPath})</MutedText>}
        <Box sx={{ flexGrow: 1 }} />
        {actions}
        {file.patch && (
          <Button
            size="small"
            aria-expanded={open}
            aria-controls={diffId}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide diff' : 'Show diff'}
          </Button>
        )}
      </Stack>
      {file.note && (
        <Typography
          variant="body2"
          color={conflict ? 'error.main' : 'text.secondary'}
          sx={{ mt: 0.5 }}
        >
          {file.note}
        </Typography>
      )}
      <Box id={diffId} sx={{ mt: 1 }} hidden={!open}>
        {open && file.patch && (
          <PatchView patch={file.patch} label={`Diff of ${file.path}`} />
        )}
      </Box>
    </Paper>
  );
};
