import { ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { SloQuery, responseStatus } from '../../api/useSloQuery';

/**
 * Loading and failure of an SLO query, the same on every screen: a progress bar, a clear
 * "not allowed" note for 403 (not a stack trace), the backend's error otherwise with a retry.
 * `notFound` renders a designed empty state for a 404 instead of an error.
 */
export function SloQueryState<T>(props: {
  query: SloQuery<T>;
  children: (value: T) => ReactNode;
  notFound?: ReactNode;
  /** What the data is, for the messages: "the SLO overview", "the SLOs of Ledger Writer". */
  subject: string;
}) {
  const { query, children, notFound, subject } = props;
  if (query.status === 'loading') {
    return <Progress aria-label={`Loading ${subject}`} />;
  }
  if (query.status === 'error') {
    const status = responseStatus(query.error);
    if (status === 404 && notFound) {
      return <>{notFound}</>;
    }
    if (status === 403) {
      return (
        <Alert severity="info">
          You are not allowed to see {subject}. Ask the owning team if you need
          access.
        </Alert>
      );
    }
    return (
      <Stack spacing={1} alignItems="flex-start">
        <ResponseErrorPanel
          title={`Could not load ${subject}`}
          error={query.error}
        />
        <Button variant="outlined" size="small" onClick={query.retry}>
          Try again
        </Button>
      </Stack>
    );
  }
  return <>{children(query.value)}</>;
}
