import { FormEvent, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useApi } from '@backstage/core-plugin-api';
import {
  DRILL_KINDS,
  DrillRequest,
  FailoverDrill,
} from '@internal/dr-readiness-common';
import { backendMessage, responseStatus } from '@internal/platform-react';
import { drReadinessApiRef } from '../../api/DrReadinessApi';

type Field = keyof DrillRequest;
const FIELDS: Field[] = [
  'kind',
  'startedAt',
  'endedAt',
  'outcome',
  'notes',
  'link',
];

/** What the backend's 400 says about each field it names (`Invalid drill: endedAt must be ...; kind ...`). */
export function drillFieldErrors(
  message: string,
): Partial<Record<Field | 'service', string>> {
  const problems = message.replace(/^Invalid drill:\s*/, '').split(/;\s*/);
  const errors: Partial<Record<Field | 'service', string>> = {};
  for (const problem of problems) {
    const field = [...FIELDS, 'service' as const].find(f =>
      problem.startsWith(`${f} `),
    );
    if (field)
      errors[field] = [errors[field], problem].filter(Boolean).join('; ');
  }
  return errors;
}

/** A `datetime-local` value (the reader's time zone) as an ISO time; empty stays empty (the backend names it). */
export function isoOfLocal(value: string): string {
  if (!value) return '';
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? value : time.toISOString();
}

const EMPTY = {
  kind: 'region-failover',
  startedAt: '',
  endedAt: '',
  outcome: 'succeeded',
  notes: '',
  link: '',
};

/**
 * The dialog's values and recording the drill they describe: a refused record keeps the values
 * and says why, under each field the backend's message names.
 */
function useRecordDrill(
  entityRef: string,
  onRecorded: (drill: FailoverDrill) => void | Promise<void>,
  onClose: () => void,
) {
  const api = useApi(drReadinessApiRef);
  const [values, setValues] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [errors, setErrors] = useState<ReturnType<typeof drillFieldErrors>>({});
  const set = (key: keyof typeof EMPTY) => (value: string) =>
    setValues(current => ({ ...current, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setErrors({});
    try {
      const drill = await api.recordDrill(entityRef, {
        kind: values.kind as DrillRequest['kind'],
        startedAt: isoOfLocal(values.startedAt),
        endedAt: isoOfLocal(values.endedAt),
        outcome: values.outcome as DrillRequest['outcome'],
        notes: values.notes,
        link: values.link,
      });
      setValues(EMPTY);
      await onRecorded(drill);
      onClose();
    } catch (e) {
      const error = e as Error;
      const status = responseStatus(error);
      const message = backendMessage(error);
      if (status === 400) {
        setErrors(drillFieldErrors(message));
        setProblem(message);
      } else if (status === 403) {
        setProblem(`You may not record drills of this service: ${message}`);
      } else {
        setProblem(`Could not record the drill: ${message}`);
      }
    } finally {
      setBusy(false);
    }
  };
  return { values, set, busy, problem, errors, submit };
}

/**
 * Records a failover drill of the service as the signed-in user's: kind, start and end, outcome,
 * notes and a link to the drill record. A refused record (400) keeps every value and shows the
 * backend's reason under each field it names.
 */
export const RecordDrillDialog = (props: {
  entityRef: string;
  open: boolean;
  onClose: () => void;
  onRecorded: (drill: FailoverDrill) => void | Promise<void>;
}) => {
  const { entityRef, open, onClose, onRecorded } = props;
  const { values, set, busy, problem, errors, submit } = useRecordDrill(
    entityRef,
    onRecorded,
    onClose,
  );

  const field = (name: Field) => ({
    error: !!errors[name],
    helperText: errors[name],
  });

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <Stack
        component="form"
        aria-label="Record a drill"
        onSubmit={submit}
        noValidate
      >
        <DialogTitle>Record a failover drill</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField
              select
              size="small"
              label="Kind"
              value={values.kind}
              onChange={event => set('kind')(event.target.value)}
              {...field('kind')}
            >
              {DRILL_KINDS.map(kind => (
                <MenuItem key={kind} value={kind}>
                  {kind}
                </MenuItem>
              ))}
            </TextField>
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              <TextField
                size="small"
                type="datetime-local"
                label="Started"
                value={values.startedAt}
                onChange={event => set('startedAt')(event.target.value)}
                InputLabelProps={{ shrink: true }}
                fullWidth
                {...field('startedAt')}
              />
              <TextField
                size="small"
                type="datetime-local"
                label="Ended (service restored)"
                value={values.endedAt}
                onChange={event => set('endedAt')(event.target.value)}
                InputLabelProps={{ shrink: true }}
                fullWidth
                {...field('endedAt')}
              />
            </Stack>
            <TextField
              select
              size="small"
              label="Outcome"
              value={values.outcome}
              onChange={event => set('outcome')(event.target.value)}
              {...field('outcome')}
            >
              <MenuItem value="succeeded">succeeded</MenuItem>
              <MenuItem value="failed">failed</MenuItem>
            </TextField>
            <TextField
              size="small"
              label="Notes"
              value={values.notes}
              onChange={event => set('notes')(event.target.value)}
              multiline
              minRows={2}
              {...field('notes')}
            />
            <TextField
              size="small"
              label="Link to the drill record"
              value={values.link}
              onChange={event => set('link')(event.target.value)}
              {...field('link')}
            />
            {problem && (
              <Alert
                severity="error"
                role="alert"
                aria-label="The drill was not recorded"
              >
                {problem}
              </Alert>
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={busy}>
            {busy ? 'Recording\u2026' : 'Record drill'}
          </Button>
        </DialogActions>
      </Stack>
    </Dialog>
  );
};
