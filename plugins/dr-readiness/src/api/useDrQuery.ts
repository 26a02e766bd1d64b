import { DependencyList } from 'react';
import { ApiQuery, useApiQuery } from '@internal/platform-react';
import { DrReadinessApi, drReadinessApiRef } from './DrReadinessApi';

export { responseStatus } from '@internal/platform-react';

/** What a screen knows about one DrReadinessApi call. */
export type DrQuery<T> = ApiQuery<T>;

/** Calls the DrReadinessApi when `deps` change; a slow answer to an outdated call is dropped. */
export function useDrQuery<T>(
  query: (api: DrReadinessApi) => Promise<T>,
  deps: DependencyList,
): DrQuery<T> {
  return useApiQuery(drReadinessApiRef, query, deps);
}
