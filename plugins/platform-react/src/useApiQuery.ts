import { DependencyList, useCallback, useEffect, useState } from 'react';
import { ApiRef, useApi } from '@backstage/core-plugin-api';

/** What a screen knows about one API call. */
export type ApiQuery<T> =
  | { status: 'loading' }
  | { status: 'error'; error: Error; retry: () => void }
  | { status: 'loaded'; value: T; retry: () => void };

/**
 * Calls the API when `deps` change; answers of an outdated call are dropped,
 * so a fast month or week switch never shows the previous period's figures.
 */
export function useApiQuery<TApi, T>(
  apiRef: ApiRef<TApi>,
  query: (api: TApi) => Promise<T>,
  deps: DependencyList,
): ApiQuery<T> {
  const api = useApi(apiRef);
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt(n => n + 1), []);
  const [state, setState] = useState<ApiQuery<T>>({ status: 'loading' });

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

/** A plugin's query hook: `useApiQuery` over the plugin's API, e.g. `useCostQuery`. */
export function createApiQueryHook<TApi>(apiRef: ApiRef<TApi>) {
  return function usePluginQuery<T>(
    query: (api: TApi) => Promise<T>,
    deps: DependencyList,
  ): ApiQuery<T> {
    return useApiQuery(apiRef, query, deps);
  };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The HTTP status of a failed API call, when the backend answered. */
export function responseStatus(error: Error): number | undefined {
  const response = (error as { response?: { status?: unknown } }).response;
  return error.name === 'ResponseError' && typeof response?.status === 'number'
    ? response.status
    : undefined;
}
