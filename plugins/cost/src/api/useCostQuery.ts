import { DependencyList, useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { CostApi, costApiRef } from './CostApi';

/** What a screen knows about one CostApi call. */
export type CostQuery<T> =
  | { status: 'loading' }
  | { status: 'error'; error: Error; retry: () => void }
  | { status: 'loaded'; value: T; retry: () => void };

/**
 * Calls the CostApi when `deps` change; answers of an outdated call are dropped,
 * so a fast month switch never shows the previous month's figures.
 */
export function useCostQuery<T>(
  query: (api: CostApi) => Promise<T>,
  deps: DependencyList,
): CostQuery<T> {
  const api = useApi(costApiRef);
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt(n => n + 1), []);
  const [state, setState] = useState<CostQuery<T>>({ status: 'loading' });

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

/** The HTTP status of a failed CostApi call, when the backend answered. */
export function responseStatus(error: Error): number | undefined {
  const response = (error as { response?: { status?: unknown } }).response;
  return error.name === 'ResponseError' && typeof response?.status === 'number'
    ? response.status
    : undefined;
}
