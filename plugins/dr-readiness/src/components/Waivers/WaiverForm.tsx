import { FormEvent, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useApi } from '@backstage/core-plugin-api';
import {
  MAX_WAIVER_REASON_LENGTH,
  MIN_WAIVER_REASON_LENGTH,
  Waiver,
  WaiverRequest,
} from '@internal/dr-readiness-common';
import {
  responseStatus,
  useClock,
  backendMessage,
} from '@internal/platform-react';
import { drReadinessApiRef } from '../../api/DrReadinessApi';

/** The message a 403 on approving or revoking a waiver shows when the backend gives none. */
export const WAIVE_FORBIDDEN =
  'You need the dr.waive permission (DR approvers)';

type Field = keyof WaiverRequest;
const FIELDS: Field[] = ['controlId', 'reason', 'expiresAt'];

/** The fields a backend message names ("expiresAt must be ..."), so they can be marked. */
export function fieldsNamed(message: string): Field[] {
  return FIELDS.filter(field => new RegExp(`\\b${field}\\b`).test(message));
}

/** A date input's day (YYYY-MM-DD) as the waiver's expiry: the end of that day, UTC. */
export function expiryOf(day: string): string {
  return `${day}T23:59:59.000Z`;
}

function tomorrow(now: Date): string {
  return new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
}

const EMPTY = { controlId: '', reason: '', expiresOn: '' };

/**
 * The form's values and requesting the waiver they describe: a refused request keeps the
 * values and says why, marking the fields the backend's message names.
 */
function useWaiverForm(
  entityRef: string,
  controls: Array<{ id: string; title: string }>,
  onRecorded: (waiver: Waiver) => void | Promise<void>,
) {
  const api = useApi(drReadinessApiRef);
  const [values, setValues] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{
    message: string;
    fields?: Field[];
  }>();
  const [recorded, setRecorded] = useState<string>();

  const set = (key: keyof typeof EMPTY) => (value: string) =>
    setValues(current => ({ ...current, [key]: value }));
  const complete = values.controlId && values.reason.trim() && values.expiresOn;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setRecorded(undefined);
    try {
      const waiver = await api.addWaiver(entityRef, {
        controlId: values.controlId,
        reason: values.reason,
        expiresAt: expiryOf(values.expiresOn),
      });
      setValues(EMPTY);
      setRecorded(
        `Waiver of ${
          controls.find(c => c.id === waiver.controlId)?.title ??
          waiver.controlId
        } requested: it counts once a DR approver outside the owning team approves it.`,
      );
      await onRecorded(waiver);
    } catch (e) {
      const error = e as Error;
      const status = responseStatus(error);
      if (status === 403) {
        setProblem({
          message: `You may not request a waiver here: ${backendMessage(
            error,
          )}`,
        });
      } else if (status === 400) {
        const message = backendMessage(error);
        setProblem({ message, fields: fieldsNamed(message) });
      } else {
        setProblem({
          message: `Could not request the waiver: ${backendMessage(error)}`,
        });
      }
    } finally {
      setBusy(false);
    }
  };

  const marked = (field: Field) => !!problem?.fields?.includes(field);

  return { values, set, busy, problem, recorded, complete, submit, marked };
}

/**
 * Requests a waiver of one of the tier's controls, recorded as the signed-in user's; it counts
 * once a DR approver outside the owning team approves it (in the waivers table). A refused
 * request keeps every field as typed and shows the backend's reason, marking the field it names.
 */
export const WaiverForm = (props: {
  entityRef: string;
  controls: Array<{ id: string; title: string }>;
  onRecorded: (waiver: Waiver) => void | Promise<void>;
}) => {
  const { entityRef, controls, onRecorded } = props;
  const clock = useClock();
  const { values, set, busy, problem, recorded, complete, submit, marked } =
    useWaiverForm(entityRef, controls, onRecorded);

  return (
    <Stack
      component="form"
      aria-label="Request a waiver"
      onSubmit={submit}
      spacing={2}
      noValidate
    >
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <TextField
          select
          size="small"
          label="Control"
          value={values.controlId}
          onChange={event => set('controlId')(event.target.value)}
          error={marked('controlId')}
          sx={{ minWidth: 260 }}
          required
        >
          {controls.map(control => (
            <MenuItem key={control.id} value={control.id}>
              {control.title}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          type="date"
          label="Expires on"
          value={values.expiresOn}
          onChange={event => set('expiresOn')(event.target.value)}
          error={marked('expiresAt')}
          helperText="Counts until the end of that day (UTC)"
          InputLabelProps={{ shrink: true }}
          inputProps={{ min: tomorrow(clock.now()) }}
          required
        />
      </Stack>
      <TextField
        size="small"
        label="Reason"
        value={values.reason}
        onChange={event => set('reason')(event.target.value)}
        error={marked('reason')}
        helperText={`Why the control cannot be met yet and what covers the risk meanwhile (${MIN_WAIVER_REASON_LENGTH} to ${MAX_WAIVER_REASON_LENGTH} characters)`}
        multiline
        minRows={2}
        required
      />
      {problem && (
        <Alert
          severity="error"
          role="alert"
          aria-label="The waiver was not requested"
        >
          {problem.message}
        </Alert>
      )}
      {recorded && (
        <Alert severity="success" sx={{ py: 0 }}>
          {recorded}
        </Alert>
      )}
      <div>
        <Button
          type="submit"
          variant="contained"
          size="small"
          disabled={busy || !complete}
        >
          {busy ? 'Requesting\u2026' : 'Request waiver'}
        </Button>
      </div>
    </Stack>
  );
};
