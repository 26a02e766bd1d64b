import { FormEvent, useId, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/core-plugin-api';
import {
  SLO_CORRECTION_CATEGORIES,
  SloCorrection,
  SloCorrectionCategory,
} from '@internal/slo-common';
import { sloApiRef } from '../../api/SloApi';
import { responseStatus } from '../../api/useSloQuery';
import { toError } from '../ReviewNotes/notes';

/** A `datetime-local` value (the viewer's time zone) as an ISO time; undefined when not a time. */
function isoOf(local: string): string | undefined {
  const time = new Date(local);
  return local && !Number.isNaN(time.getTime())
    ? time.toISOString()
    : undefined;
}

/** The form's state, and recording what it holds as a correction of `sloKey`. */
function useCorrectionForm(
  sloKey: string,
  onRecorded: (correction: SloCorrection) => void,
) {
  const sloApi = useApi(sloApiRef);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [category, setCategory] =
    useState<SloCorrectionCategory>('maintenance');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [recorded, setRecorded] = useState<string>();
  const complete = !!isoOf(from) && !!isoOf(to) && !!reason.trim();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fromIso = isoOf(from);
    const toIso = isoOf(to);
    if (!fromIso || !toIso || !reason.trim() || busy) return;
    setBusy(true);
    setError(undefined);
    setRecorded(undefined);
    try {
      const correction = await sloApi.addCorrection({
        sloKey,
        from: fromIso,
        to: toIso,
        category,
        reason: reason.trim(),
      });
      onRecorded(correction);
      setFrom('');
      setTo('');
      setReason('');
      setRecorded(
        'Correction recorded: the deploy gate and this burn-down leave it out now; the SLO\u2019s status, the overview and the review at the next evaluation (within minutes).',
      );
    } catch (caught) {
      const failure = toError(caught);
      setError(
        responseStatus(failure) === 403
          ? 'Only the owners of this SLO and the configured reviewers can record corrections.'
          : `Could not record the correction: ${failure.message}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return {
    from,
    setFrom,
    to,
    setTo,
    category,
    setCategory,
    reason,
    setReason,
    busy,
    error,
    recorded,
    complete,
    submit,
  };
}

/** One end of the range, in the browser's local time. */
const TimeField = (props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  disabled: boolean;
}) => (
  <TextField
    id={props.id}
    size="small"
    type="datetime-local"
    label={props.label}
    required
    InputLabelProps={{ shrink: true }}
    value={props.value}
    onChange={event => props.onChange(event.target.value)}
    disabled={props.disabled}
  />
);

/**
 * Records a correction of one SLO: a time range left out of its budget, with category and reason.
 * The backend records the signed-in user as its author and refuses whoever is neither an owner of
 * the SLO nor a reviewer.
 */
export const CorrectionForm = (props: {
  sloKey: string;
  sloLabel: string;
  onRecorded: (correction: SloCorrection) => void;
}) => {
  const { sloKey, sloLabel, onRecorded } = props;
  const id = useId();
  const {
    from,
    setFrom,
    to,
    setTo,
    category,
    setCategory,
    reason,
    setReason,
    busy,
    error,
    recorded,
    complete,
    submit,
  } = useCorrectionForm(sloKey, onRecorded);
  return (
    <Box
      component="form"
      aria-label={`Record a correction of ${sloLabel}`}
      onSubmit={submit}
      noValidate
    >
      <Stack spacing={1}>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={1}>
          <TimeField
            id={`${id}-from`}
            label="From"
            value={from}
            onChange={setFrom}
            disabled={busy}
          />
          <TimeField
            id={`${id}-to`}
            label="To"
            value={to}
            onChange={setTo}
            disabled={busy}
          />
          <TextField
            id={`${id}-category`}
            size="small"
            select
            label="Category"
            value={category}
            onChange={event =>
              setCategory(event.target.value as SloCorrectionCategory)
            }
            disabled={busy}
            sx={{ minWidth: 150 }}
          >
            {SLO_CORRECTION_CATEGORIES.map(c => (
              <MenuItem key={c} value={c}>
                {c}
              </MenuItem>
            ))}
          </TextField>
        </Stack>
        <TextField
          id={`${id}-reason`}
          size="small"
          label="Reason"
          required
          value={reason}
          onChange={event => setReason(event.target.value)}
          disabled={busy}
        />
        <Typography variant="caption" color="text.secondary">
          Times in your time zone. Events in the range count neither as good nor
          as bad; the range may be planned up to 30 days ahead and be at most
          the SLO&apos;s window long.
        </Typography>
        <div>
          <Button
            type="submit"
            variant="outlined"
            size="small"
            disabled={busy || !complete}
          >
            Record correction
          </Button>
        </div>
        {error && <Alert severity="error">{error}</Alert>}
        <Typography
          variant="caption"
          color="text.secondary"
          role="status"
          component="div"
        >
          {recorded}
        </Typography>
      </Stack>
    </Box>
  );
};
