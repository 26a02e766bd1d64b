import { useState } from 'react';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { ReviewNote, WeeklySloLine } from '@internal/slo-common';
import { sloApiRef } from '../../api/SloApi';
import { responseStatus } from '../../api/useSloQuery';
import { formatWeek, sloLabel } from '../../format';
import { entityName, formatDateTime } from '@internal/platform-react';
import { ReviewNoteForm } from './ReviewNoteForm';
import { NOT_ALLOWED, toError } from './notes';

/** One note or action item; action items carry a "done" box the owners and reviewers can tick. */
export const ReviewNoteItem = (props: {
  note: ReviewNote;
  /** The review's week, for notes the backend sends without theirs. */
  week: string;
  onChange: (note: ReviewNote) => void;
}) => {
  const { note, week, onChange } = props;
  const sloApi = useApi(sloApiRef);
  const alertApi = useApi(alertApiRef);
  const [pending, setPending] = useState(false);
  const action = note.kind === 'action';
  const done = action && !!note.done;

  const setDone = async (value: boolean) => {
    setPending(true);
    try {
      onChange(await sloApi.setNoteDone(note.week || week, note.id, value));
    } catch (caught) {
      const error = toError(caught);
      alertApi.post({
        severity: 'error',
        message:
          responseStatus(error) === 403
            ? NOT_ALLOWED
            : `Could not update the action item "${note.text}": ${error.message}`,
      });
    } finally {
      setPending(false);
    }
  };

  return (
    <Box
      component="li"
      sx={{ display: 'flex', alignItems: 'flex-start', gap: 1, py: 0.5 }}
    >
      {action && (
        <Checkbox
          size="small"
          checked={done}
          disabled={pending}
          onChange={event => setDone(event.target.checked)}
          inputProps={{ 'aria-label': `Done: ${note.text}` }}
          sx={{ p: 0.25 }}
        />
      )}
      <div>
        <Typography
          variant="body2"
          component="div"
          sx={{
            textDecoration: done ? 'line-through' : 'none',
            color: done ? 'text.secondary' : 'text.primary',
          }}
        >
          <Chip
            size="small"
            variant="outlined"
            label={action ? 'action item' : 'note'}
            color={action && !done ? 'primary' : 'default'}
            sx={{ mr: 1, height: 20 }}
          />
          {note.text}
          {note.carriedOverFrom && (
            <Chip
              size="small"
              variant="outlined"
              label={`carried over from ${formatWeek(note.carriedOverFrom)}`}
              sx={{ ml: 1, height: 20 }}
            />
          )}
          {note.overdue && (
            <Chip
              size="small"
              color="error"
              label="overdue"
              sx={{ ml: 1, height: 20 }}
            />
          )}
        </Typography>
        <Typography variant="caption" color="text.secondary" component="div">
          {action && note.owner && `owner ${note.owner} \u00B7 `}
          {action && note.due && `due ${note.due} \u00B7 `}
          {done &&
            (note.closedBy
              ? `done (closed by ${entityName(note.closedBy)}${
                  note.closedAt ? `, ${formatDateTime(note.closedAt)}` : ''
                }) \u00B7 `
              : 'done \u00B7 ')}
          <span title={note.author}>{entityName(note.author)}</span>,{' '}
          <time dateTime={note.createdAt}>
            {formatDateTime(note.createdAt)}
          </time>
        </Typography>
      </div>
    </Box>
  );
};

/** The notes and action items on one SLO of the review, and the form to add one. */
export const ReviewNotes = (props: {
  line: WeeklySloLine;
  week: string;
  /** The line's notes as the page holds them (with those added since it loaded). */
  notes: ReviewNote[];
  onAdded: (note: ReviewNote) => void;
  onChanged: (note: ReviewNote) => void;
}) => {
  const { line, week, notes, onAdded, onChanged } = props;
  const label = sloLabel(line.slo);
  return (
    <Stack spacing={1}>
      {notes.length > 0 && (
        <Box
          component="ul"
          aria-label={`Notes on ${label}`}
          sx={{ listStyle: 'none', m: 0, p: 0 }}
        >
          {notes.map(note => (
            <ReviewNoteItem
              key={note.id}
              note={note}
              week={week}
              onChange={onChanged}
            />
          ))}
        </Box>
      )}
      <ReviewNoteForm
        week={week}
        sloKey={line.slo.key}
        sloLabel={label}
        onAdded={onAdded}
      />
    </Stack>
  );
};
