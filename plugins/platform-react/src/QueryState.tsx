import { ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { ApiQuery, responseStatus } from './useApiQuery';

/** What a plugin's QueryState is given: the query, what to show for its value, what it is. */
export interface PluginQueryStateProps<T> {
  query: ApiQuery<T>;
  children: (value: T) => ReactNode;
  /** Shown for a 404 instead of an error. */
  notFound?: ReactNode;
  /** What the data is, for the messages: "the SLO overview", "this product's cost". */
  subject: string;
}

/**
 * Loading and failure of an API query, the same on every screen: a progress bar, a clear
 * "not allowed" note for 403 (not a stack trace), the backend's error otherwise with a retry.
 * `notFound` renders a designed empty state for a 404 instead of an error.
 */
export function QueryState<T>(
  props: PluginQueryStateProps<T> & {
    /** Who may see it, for the 403 note, e.g. "Ask the owning team if you need access." */
    whoMaySee: string;
  },
) {
  const { query, children, notFound, subject, whoMaySee } = props;
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
          You are not allowed to see {subject}. {whoMaySee}
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

/**
 * A plugin's QueryState: the same everywhere it is used, saying who may see the plugin's data
 * on a 403 (e.g. "Ask the owning team if you need access.").
 */
export function createQueryState(whoMaySee: string) {
  return function PluginQueryState<T>(props: PluginQueryStateProps<T>) {
    return <QueryState {...props} whoMaySee={whoMaySee} />;
  };
}
