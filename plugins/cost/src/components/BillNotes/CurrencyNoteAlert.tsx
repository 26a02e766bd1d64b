import Alert from '@mui/material/Alert';
import { CurrencyNote } from '@internal/cost-common';

/** What the amounts are in when that is not simply `cost.currency`: AWS's unit, or a stated conversion. */
export const CurrencyNoteAlert = (props: { note?: CurrencyNote }) => {
  const { note } = props;
  if (!note) return null;
  return (
    <Alert
      severity={note.conversion ? 'info' : 'warning'}
      aria-label="Currency"
    >
      {note.message}
    </Alert>
  );
};
