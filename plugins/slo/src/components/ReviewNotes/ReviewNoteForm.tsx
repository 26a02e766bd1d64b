import { FormEvent, useId, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/core-plugin-api';
import { ReviewNote } from '@internal/slo-common';
import { sloApiRef } from '../../api/SloApi';
import { responseStatus } from '../../api/useSloQuery';
import { NOT_ALLOWED, toError } from './notes';

/** The form's state, and adding what it holds as a note of `sloKey`. */
function useNoteForm(
  week: string,
  sloKey: string,
  onAdded: (note: ReviewNote) => void,
) {
  const sloApi = useApi(sloApiRef);
  const [kind, setKind] = useState<ReviewNote['kind']>('note');
  const [text, setText] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [added, setAdded] = useState<string>();
  const kindLabel = kind === 'note' ? 'Note' : 'Action item';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (!trimmed || busy || (kind === 'action' && (!owner.trim() || !due))) {
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
        ...(kind === 'action' ? { due } : {}),
      });
      onAdded(note);
      setText('');
      setOwner('');
      setDue('');
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

  return {
    kind,
    setKind,
    text,
    setText,
    owner,
    setOwner,
    due,
    setDue,
    busy,
    error,
    added,
    kindLabel,
    submit,
  };
}

/** The inline form under an SLO of the review: a note or an action item with an optional owner. */
export const ReviewNoteForm = (props: {
  week: string;
  sloKey: string;
  sloLabel: string;
  onAdded: (note: ReviewNote) => void;
}) => {
  const { week, sloKey, onAdded } = props;
  const id = useId();
  const {
    kind,
    setKind,
    text,
    setText,
    owner,
    setOwner,
    due,
    setDue,
    busy,
    error,
    added,
    kindLabel,
    submit,
  } = useNoteForm(week, sloKey, onAdded);
  const complete =
    !!text.trim() && (kind === 'note' || (!!owner.trim() && !!due));
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
          <>
            <TextField
              id={`${id}-owner`}
              size="small"
              label="Owner"
              placeholder="group:default/ledger-team"
              helperText="A user or group"
              required
              value={owner}
              onChange={event => setOwner(event.target.value)}
              disabled={busy}
              sx={{ minWidth: 200 }}
            />
            <TextField
              id={`${id}-due`}
              size="small"
              type="date"
              label="Due date"
              required
              InputLabelProps={{ shrink: true }}
              value={due}
              onChange={event => setDue(event.target.value)}
              disabled={busy}
              sx={{ minWidth: 160 }}
            />
          </>
        )}
        <Button
          type="submit"
          variant="outlined"
          size="small"
          disabled={busy || !complete}
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
