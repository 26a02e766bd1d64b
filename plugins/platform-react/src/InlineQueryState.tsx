import { ReactNode } from 'react';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { Progress } from '@backstage/core-components';
import { backendMessage } from './errors';
import { MutedText } from './MutedText';
import { ApiQuery } from './useApiQuery';

/**
 * A query that is part of a larger view (a chart inside a card): a progress bar while it loads,
 * and a failure stays one line with a retry instead of taking over the view.
 */
export function InlineQueryState<T>(props: {
  query: ApiQuery<T>;
  /** The progress bar's name, e.g. "Loading the score history". */
  loadingLabel: string;
  /** Says what failed, e.g. "Could not load the burn-down"; the backend's reason follows. */
  failure: string;
  children: (value: T) => ReactNode;
}) {
  const { query, loadingLabel, failure, children } = props;
  if (query.status === 'loading') {
    return <Progress aria-label={loadingLabel} />;
  }
  if (query.status === 'error') {
    return (
      <Stack spacing={1} alignItems="flex-start">
        <MutedText>
          {failure}: {backendMessage(query.error)}
        </MutedText>
        <Button size="small" variant="outlined" onClick={query.retry}>
          Try again
        </Button>
      </Stack>
    );
  }
  return <>{children(query.value)}</>;
}
