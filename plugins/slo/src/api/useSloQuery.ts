import { DependencyList } from 'react';
import { ApiQuery, useApiQuery } from '@internal/platform-react';
import { SloApi, sloApiRef } from './SloApi';

export { responseStatus } from '@internal/platform-react';

/** What a screen knows about one SloApi call. */
export type SloQuery<T> = ApiQuery<T>;

/** Calls the SloApi when `deps` change; a slow answer to an outdated call is dropped. */
export function useSloQuery<T>(
  query: (api: SloApi) => Promise<T>,
  deps: DependencyList,
): SloQuery<T> {
  return useApiQuery(sloApiRef, query, deps);
}
