import { FormEvent, useId, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { ReviewNote, WeeklySloLine } from '@internal/slo-common';
import { sloApiRef } from '../../api/SloApi';
import { responseStatus } from '../../api/useSloQuery';
import { entityName, formatDateTime, sloLabel } from '../../format';

const NOT_ALLOWED =
  'Only the owners of this SLO and the configured reviewers can write in its review.';

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

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
        </Typography>
        <Typography variant="caption" color="text.secondary" component="div">
          {action && note.owner && `owner ${note.owner} \u00B7 `}
          {done && 'done \u00B7 '}
          <span title={note.author}>{entityName(note.author)}</span>,{' '}
          <time dateTime={note.createdAt}>
            {formatDateTime(note.createdAt)}
          </time>
        </Typography>
      </div>
    </Box>
  );
};

/** The inline form under an SLO of the review: a note or an action item with an optional owner. */
export const ReviewNoteForm = (props: {
  week: string;
  sloKey: string;
  sloLabel: string;
  onAdded: (note: ReviewNote) => void;
}) => {
  const { week, sloKey, onAdded } = props;
  const sloApi = useApi(sloApiRef);
  const id = useId();
  const [kind, setKind] = useState<ReviewNote['kind']>('note');
  const [text, setText] = useState('');
  const [owner, setOwner] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [added, setAdded] = useState<string>();
  const kindLabel = kind === 'note' ? 'Note' : 'Action item';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (!trimmed || busy) {
      return;
    }
    setBusy(true);
    setError(undefined);
    setAdded(undefined);
    try {
      const note = await sloApi.addNote(week, {
        sloKey,
        kind,
        text: trimmed,
        owner: kind === 'action' ? owner.trim() || undefined : undefined,
      });
      onAdded(note);
      setText('');
      setOwner('');
      setAdded(`${kindLabel} added`);
    } catch (caught) {
      const failure = toError(caught);
      setError(
        responseStatus(failure) === 403
          ? NOT_ALLOWED
          : `Could not add the ${kindLabel.toLocaleLowerCase('en-US')}: ${
              failure.message
            }`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box
      component="form"
      aria-label={`Add a note or action item to ${props.sloLabel}`}
      onSubmit={submit}
      noValidate
    >
      <Stack
        direction={{ xs: 'column', md: 'row' }}
        spacing={1}
        alignItems={{ md: 'center' }}
      >
        <ToggleButtonGroup
          size="small"
          exclusive
          value={kind}
          onChange={(_event, value: ReviewNote['kind'] | null) =>
            value && setKind(value)
          }
          aria-label="Kind"
        >
          <ToggleButton value="note">Note</ToggleButton>
          <ToggleButton value="action">Action item</ToggleButton>
        </ToggleButtonGroup>
        <TextField
          id={`${id}-text`}
          size="small"
          label={kindLabel}
          value={text}
          onChange={event => setText(event.target.value)}
          disabled={busy}
          sx={{ flexGrow: 1, minWidth: 240 }}
        />
        {kind === 'action' && (
          <TextField
            id={`${id}-owner`}
            size="small"
            label="Owner (optional)"
            value={owner}
            onChange={event => setOwner(event.target.value)}
            disabled={busy}
            sx={{ minWidth: 180 }}
          />
        )}
        <Button
          type="submit"
          variant="outlined"
          size="small"
          disabled={busy || !text.trim()}
          sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}
        >
          {kind === 'note' ? 'Add note' : 'Add action item'}
        </Button>
      </Stack>
      {error && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {error}
        </Alert>
      )}
      <Typography
        variant="caption"
        color="text.secondary"
        role="status"
        component="div"
      >
        {added}
      </Typography>
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
