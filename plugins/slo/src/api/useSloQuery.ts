import { DependencyList, useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { SloApi, sloApiRef } from './SloApi';

/** What a screen knows about one SloApi call. */
export type SloQuery<T> =
  | { status: 'loading' }
  | { status: 'error'; error: Error; retry: () => void }
  | { status: 'loaded'; value: T; retry: () => void };

/**
 * Calls the SloApi when `deps` change; answers of an outdated call are dropped,
 * so a fast week switch never shows the previous week's review.
 */
export function useSloQuery<T>(
  query: (api: SloApi) => Promise<T>,
  deps: DependencyList,
): SloQuery<T> {
  const api = useApi(sloApiRef);
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt(n => n + 1), []);
  const [state, setState] = useState<SloQuery<T>>({ status: 'loading' });

  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    query(api).then(
      value => current && setState({ status: 'loaded', value, retry }),
      error =>
        current && setState({ status: 'error', error: toError(error), retry }),
    );
    return () => {
      current = false;
    };
    // The caller's deps say when the query changes; `query` itself is a new closure each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, attempt, retry, ...deps]);

  return state;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The HTTP status of a failed SloApi call, when the backend answered. */
export function responseStatus(error: Error): number | undefined {
  const response = (error as { response?: { status?: unknown } }).response;
  return error.name === 'ResponseError' && typeof response?.status === 'number'
    ? response.status
    : undefined;
}
