import { DependencyList } from 'react';
import { ApiQuery, useApiQuery } from '@internal/platform-react';
import { CostApi, costApiRef } from './CostApi';

export { responseStatus } from '@internal/platform-react';

/** What a screen knows about one CostApi call. */
export type CostQuery<T> = ApiQuery<T>;

/** Calls the CostApi when `deps` change; a slow answer to an outdated call is dropped. */
export function useCostQuery<T>(
  query: (api: CostApi) => Promise<T>,
  deps: DependencyList,
): CostQuery<T> {
  return useApiQuery(costApiRef, query, deps);
}
